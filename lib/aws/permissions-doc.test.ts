import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * docs/aws-permissions.md must grant every AWS operation the console calls at run time, and
 * nothing it does not call. The operations come from the source (`callAws("<service>", "<Op>"`).
 */
const root = path.resolve(import.meta.dirname, "../..");
const doc = readFileSync(path.join(root, "docs/aws-permissions.md"), "utf8");
const consolePolicy = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(doc)![1]!) as { Statement: { Action: string | string[] }[] };
const granted = new Set(consolePolicy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));

// Run-time callers only: the bootstrap script runs as an administrator, not as the console.
const sources = ["lib/aws/iam.ts", "lib/aws/iam-posture.ts", "lib/aws/iam-roles.ts", "lib/aws/sts.ts", "lib/aws/organizations.ts", "lib/models/service.ts", "lib/invocation-logging/service.ts"].map((f) =>
  readFileSync(path.join(root, f), "utf8"),
);
const used = new Set(sources.flatMap((src) => [...src.matchAll(/callAws\("(iam|sts|cloudtrail|organizations|bedrock|logs)", "(\w+)"/g)].map((m) => `${m[1]}:${m[2]}`)));
// Needs no permission; implied by another grant.
const free = new Set(["sts:GetCallerIdentity"]);

describe("docs/aws-permissions.md", () => {
  it("grants every operation the console calls", () => {
    const missing = [...used].filter((a) => !free.has(a) && !granted.has(a));
    expect(missing).toEqual([]);
  });

  it("grants nothing the console does not use", () => {
    const extra = [...granted].filter(
      (a) =>
        !used.has(a) &&
        // CreateUser with Tags needs TagUser; AssumeRole with SourceIdentity needs SetSourceIdentity;
        // LookupEvents is the usage sync's (lib/usage); the invocation-log reads are the cost ingest's (lib/cost).
        // PutModelInvocationLoggingConfiguration with a role needs PassRole on it.
        !["iam:TagUser", "sts:SetSourceIdentity", "cloudtrail:LookupEvents", "iam:PassRole", "bedrock:GetModelInvocationLoggingConfiguration", "logs:FilterLogEvents"].includes(a),
    );
    expect(extra).toEqual([]);
  });

  it("the member role template (docs/multi-account) grants every operation the console makes in a member account", () => {
    const template = JSON.parse(readFileSync(path.join(root, "docs/multi-account/member-role.template.json"), "utf8")) as {
      Resources: { MemberRole: { Properties: { Policies: { PolicyDocument: { Statement: { Action: string | string[] }[] } }[] } } };
    };
    const memberGrants = new Set(
      template.Resources.MemberRole.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement.flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]))),
    );
    // Not made in member accounts: STS other than the signing role's AssumeRole (GetCallerIdentity
    // and GetAccessKeyInfo run in the own account), Organizations (management account).
    const inMember = [...used].filter((a) => a.startsWith("iam:") || a.startsWith("bedrock:") || a.startsWith("logs:") || a === "sts:AssumeRole");
    expect(inMember.filter((a) => !memberGrants.has(a))).toEqual([]);
    expect(memberGrants.has("cloudtrail:LookupEvents")).toBe(true);
    expect(memberGrants.has("logs:FilterLogEvents") && memberGrants.has("bedrock:GetModelInvocationLoggingConfiguration")).toBe(true);
  });
});
