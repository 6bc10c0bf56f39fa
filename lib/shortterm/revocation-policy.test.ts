import { describe, expect, it } from "vitest";
import { legacySourceIdentityFor, sourceIdentityFor } from "./identity";
import { buildRevocationPolicy, isoSeconds, mergeRevocations, readRevocations, revocationCutoff } from "./revocation-policy";

describe("revocation policy", () => {
  it("rounds the cutoff up to the next whole second", () => {
    expect(isoSeconds(revocationCutoff(new Date("2026-01-01T10:00:00.250Z")))).toBe("2026-01-01T10:00:01Z");
    expect(isoSeconds(revocationCutoff(new Date("2026-01-01T10:00:00.000Z")))).toBe("2026-01-01T10:00:01Z");
  });

  it("denies bearer-token use at both endpoints (bedrock-runtime and bedrock-mantle) for one person's sessions issued before the cutoff", () => {
    const doc = JSON.parse(buildRevocationPolicy([{ sourceIdentity: "alice@example.com", revokedBefore: "2026-01-01T10:00:01Z" }])!);
    expect(doc.Statement).toEqual([
      {
        Sid: "RevokeShortTermKeys1",
        Effect: "Deny",
        Action: ["bedrock:CallWithBearerToken", "bedrock:InvokeModel*", "bedrock-mantle:*"],
        Resource: "*",
        Condition: {
          StringEquals: { "aws:SourceIdentity": "alice@example.com" },
          DateLessThan: { "aws:TokenIssueTime": "2026-01-01T10:00:01Z" },
        },
      },
    ]);
    expect(buildRevocationPolicy([])).toBeNull();
  });

  it("merges with other people's revocations, moves a person's cutoff forward and prunes expired ones", () => {
    const now = new Date("2026-01-02T12:00:00Z");
    const existing = [
      { sourceIdentity: "alice@example.com", revokedBefore: "2026-01-02T09:00:00Z" },
      { sourceIdentity: "bob@example.com", revokedBefore: "2026-01-02T08:00:00Z" },
      { sourceIdentity: "carol@example.com", revokedBefore: "2026-01-01T23:59:59Z" }, // > 12 h ago: every key it covered has expired
    ];
    const { revocations, pruned } = mergeRevocations(existing, { sourceIdentity: "alice@example.com", revokedBefore: "2026-01-02T12:00:01Z" }, now);
    expect(revocations).toEqual([
      { sourceIdentity: "alice@example.com", revokedBefore: "2026-01-02T12:00:01Z" },
      { sourceIdentity: "bob@example.com", revokedBefore: "2026-01-02T08:00:00Z" },
    ]);
    expect(pruned).toBe(1);
    // round trip through the document
    expect(readRevocations(buildRevocationPolicy(revocations))).toEqual(revocations);
  });

  it("reads only revocation statements, tolerating junk", () => {
    expect(readRevocations(null)).toEqual([]);
    expect(readRevocations("{oops")).toEqual([]);
    expect(readRevocations(JSON.stringify({ Statement: { Effect: "Allow", Action: "*", Resource: "*" } }))).toEqual([]);
  });

  it("stays under IAM's 10,240-character limit for a busy day", () => {
    const now = new Date("2026-01-02T12:00:00Z");
    let revs: { sourceIdentity: string; revokedBefore: string }[] = [];
    for (let i = 0; i < 30; i++) {
      revs = mergeRevocations(revs, { sourceIdentity: `person${i}@example.com`, revokedBefore: isoSeconds(now) }, now).revocations;
    }
    expect(buildRevocationPolicy(revs)!.length).toBeLessThan(10_240);
    // With the mantle action, 30 people with the longest source identity STS allows (64) still fit.
    const longest = Array.from({ length: 30 }, (_, i) => ({ sourceIdentity: `${String(i).padStart(2, "0")}${"x".repeat(62)}`, revokedBefore: isoSeconds(now) }));
    expect(buildRevocationPolicy(longest)!.replace(/\s/g, "").length).toBeLessThan(10_240);
  });
});

describe("sourceIdentityFor", () => {
  const CHARSET = /^[\w+=,.@-]{2,64}$/;
  it("reads as the email, followed by the user id", () => {
    expect(sourceIdentityFor({ id: "cm0abc123", email: "Alice@Example.com" })).toBe("alice@example.com+cm0abc123");
  });
  it("never maps two users to one identity, even when their cleaned emails collide", () => {
    const obrien = sourceIdentityFor({ id: "cm0user0001", email: "o'brien@example.com" });
    const obrien2 = sourceIdentityFor({ id: "cm0user0002", email: "o-brien@example.com" });
    expect(obrien).not.toBe(obrien2);
    expect(obrien).toMatch(CHARSET);
    expect(obrien).toMatch(/^o-brien@example\.com\+/);
  });
  it("fits STS's rules for long emails and odd ids, and is stable", () => {
    const long = { id: "c".repeat(25), email: `${"x".repeat(70)}@example.com` };
    const a = sourceIdentityFor(long);
    expect(a).toHaveLength(64);
    expect(a).toMatch(CHARSET);
    expect(a.endsWith(`+${long.id}`)).toBe(true);
    expect(sourceIdentityFor(long)).toBe(a);
    expect(sourceIdentityFor({ id: "weird id/with+plus", email: "a@b.c" })).toMatch(CHARSET);
    expect(sourceIdentityFor({ id: "x", email: "" })).toMatch(CHARSET);
  });
  it("keeps the old email-only form for keys issued before", () => {
    expect(legacySourceIdentityFor("o'brien@example.com")).toBe("o-brien@example.com");
  });
});
