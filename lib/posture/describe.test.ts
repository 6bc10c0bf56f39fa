import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseCredentialReport } from "@/lib/aws/iam-posture-mapping";
import en from "@/lib/i18n/messages/en.json";
import { describeFinding } from "./describe";
import { defaultPolicy } from "@/lib/policy/schema";
import { ageThreshold, broadReasons, evaluateAccount } from "./evaluate";

/** The pure pieces: over-broad policy reading, the credential report's CSV, a finding's "why". */

const detail = en.posture.detail as Record<string, unknown>;
const t = (key: string, values: Record<string, string | number> = {}) => {
  const text = key.split(".").reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], detail) as string;
  return text.replace(/\{count, plural, one \{# ([^}]*)\} other \{# ([^}]*)\}\}/, (_m, one: string, other: string) => `${values.count} ${values.count === 1 ? one : other}`).replace(/\{(\w+)\}/g, (_m, k: string) => String(values[k]));
};

describe("posture, pure parts", () => {
  it("reads over-broad statements: * actions, any IAM action, NotAction; Deny never counts", () => {
    const doc = (st: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: st });
    expect(broadReasons(doc([{ Effect: "Allow", Action: "*", Resource: "*" }]))).toEqual(["allActions"]);
    expect(broadReasons(doc([{ Effect: "Allow", Action: ["bedrock:InvokeModel", "IAM:PassRole"], Resource: "*" }]))).toEqual(["iam"]);
    expect(broadReasons(doc([{ Effect: "Allow", NotAction: "s3:*", Resource: "*" }]))).toEqual(["notAction"]);
    expect(broadReasons(doc([{ Effect: "Allow", Action: "iam:*", Resource: "*" }]))).toEqual(["iam"]);
    // AWS's own policy for Bedrock API keys allows listing roles: read-only IAM is not a pivot.
    const limited = JSON.parse(readFileSync(path.join(process.cwd(), "../shared/aws-reference/AmazonBedrockLimitedAccess.json"), "utf8")) as { PolicyDocument: unknown };
    expect(JSON.stringify(limited)).toContain("iam:ListRoles");
    expect(broadReasons(JSON.stringify(limited.PolicyDocument))).toEqual([]);
    expect(broadReasons(doc([{ Effect: "Deny", Action: "*", Resource: "*" }, { Effect: "Allow", Action: "bedrock:*", Resource: "*" }]))).toEqual([]);
    expect(broadReasons("not json")).toEqual([]);
  });

  it("parses IAM's credential report, user names with commas included", () => {
    const header = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";
    const rows = [
      "<root_account>,arn:aws:iam::1:root,2020-01-01T00:00:00+00:00,not_supported,N/A,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
      "a,b,arn:aws:iam::1:user/a,b,2024-01-01T00:00:00+00:00,true,N/A,2024-01-01T00:00:00+00:00,N/A,true,false,2024-02-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
      "plain,arn:aws:iam::1:user/plain,2024-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
    ];
    expect(parseCredentialReport([header, ...rows].join("\n"))).toEqual([
      { user: "a,b", passwordEnabled: true, mfaActive: true, accessKeys: 1 },
      { user: "plain", passwordEnabled: false, mfaActive: false, accessKeys: 0 },
    ]);
  });

  it("says why in the reader's words", () => {
    expect(describeFinding("pivot", { accessKeys: 2, password: true, mfa: false, policies: [{ name: "ops-admin", kind: "inline" }] }, t)).toBe("2 access keys · console password · policies: ops-admin");
    expect(describeFinding("overBroad", { policies: [{ name: "AmazonBedrockFullAccess" }], reasons: ["bedrockFullAccess"] }, t)).toBe("AmazonBedrockFullAccess: full Bedrock access");
    expect(describeFinding("policyViolation", { lifetimeDays: "never", maxDays: 90, models: ["*"] }, t)).toBe("never expires (at most 90 days) · models not allowed: any model");
    expect(describeFinding("unused", { idleDays: 120, lastUsedAt: null }, t)).toBe("Never used; made 120 days ago");
  });

  it("calls a key too old past the rotation age when it comes before the maximum age, and says which", () => {
    const policy = (maxKeyAgeDays: number | null, rotationDays: number | null) => ({ ...defaultPolicy([]), maxKeyAgeDays, rotationDays });
    expect(ageThreshold(policy(180, 90))).toEqual({ maxDays: 90, basis: "rotation" });
    expect(ageThreshold(policy(null, 90))).toEqual({ maxDays: 90, basis: "rotation" });
    expect(ageThreshold(policy(60, 90))).toEqual({ maxDays: 60, basis: "maxAge" });
    expect(ageThreshold(policy(180, null))).toEqual({ maxDays: 180, basis: "maxAge" });
    expect(ageThreshold(policy(null, null))).toBeNull();

    const now = new Date("2026-12-06T00:00:00Z");
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    const snap = {
      accountId: "111122223333",
      credentials: [100, 30].map((d) => ({ credentialId: `ACA${d}`, userName: `k${d}`, status: "Active" as const, createdAt: daysAgo(d), expiresAt: daysAgo(-30) })),
      users: [],
      managedDocuments: new Map<string, string>(),
      userCredentials: new Map(),
      keysByCredential: new Map(),
    };
    const settings = { unusedDays: 1000, shortTermOnlyTeams: new Set<string>(), keyIamPath: "/", bedrockPolicies: [] };
    const old = (p: ReturnType<typeof policy>) => evaluateAccount(snap, p, settings, now).filter((f) => f.rule === "tooOld").map((f) => [f.iamUserName, f.detail]);
    expect(old(policy(180, null))).toEqual([]);
    expect(old(policy(180, 90))).toEqual([["k100", { ageDays: 100, maxDays: 90, basis: "rotation" }]]);
    expect(old(policy(20, 90))).toEqual([["k100", { ageDays: 100, maxDays: 20, basis: "maxAge" }], ["k30", { ageDays: 30, maxDays: 20, basis: "maxAge" }]]);
    expect(describeFinding("tooOld", { ageDays: 100, maxDays: 90, basis: "rotation" }, t)).toBe("100 days old (rotate every 90 days)");
    expect(describeFinding("tooOld", { ageDays: 200, maxDays: 180, basis: "maxAge" }, t)).toBe("200 days old (at most 180)");
  });
});
