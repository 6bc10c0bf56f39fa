import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateLoginProfileCommand, CreateUserCommand, GetUserCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueLongTermKey } from "@/lib/keys/issue";
import { issueInput, recordingAudit } from "@/tests/support/keys-env";
import { syncRegion } from "@/lib/usage/sync";
import { createUsageTestEnv, type UsageTestEnv } from "@/tests/support/usage-env";
import { acceptFinding } from "./accept";
import { fixFinding } from "./fix";
import { runPostureEvaluation, type EvaluationOutcome } from "./job";
import { loadPosture } from "./queries";
import { planRemediation, runRemediation } from "./remediate";
import type { RuleId } from "./rules";

/**
 * Each rule, triggered by a sandbox account made to break it and cleared by its fix; the
 * unused-key remediation (dry run, then for real); a lead's scope. One sandbox account holds every
 * breakage, as a real one would, and one evaluation finds them all with batch IAM calls.
 */

const DAY = 86_400;
let env: UsageTestEnv;
const keys: Record<string, { keyId: string; secret: string; iamUserName: string }> = {};

async function issue(name: string, over: Record<string, unknown> = {}) {
  const admin = await env.actor(env.users.admin);
  const r = await issueLongTermKey(env.deps, admin, issueInput(env, { name, ...over }));
  const row = await env.db.apiKey.findUniqueOrThrow({ where: { id: r.keyId }, select: { iamUserName: true } });
  keys[name] = { keyId: r.keyId, secret: r.secret, iamUserName: row.iamUserName };
}

async function evaluate(): Promise<EvaluationOutcome> {
  const o = await runPostureEvaluation(env.deps, "manual");
  if (o.status !== "done") throw new Error("busy");
  return o;
}

const findings = (rule: RuleId) => env.db.postureFinding.findMany({ where: { rule }, orderBy: { label: "asc" } });
const labels = async (rule: RuleId) => (await findings(rule)).map((f) => f.label);
const one = async (rule: RuleId, label: string) => {
  const f = (await findings(rule)).find((x) => x.label === label);
  if (!f) throw new Error(`no ${rule} finding for ${label}`);
  return f;
};

beforeAll(async () => {
  env = await createUsageTestEnv();
  const iam = env.aws.iam;
  // Keys made 200 and 100 days ago (the sandbox's clock), then back to today.
  await env.sandboxClock(-200 * DAY);
  await issue("old", { ageDays: 365 });
  await env.sandboxClock(100 * DAY);
  await issue("idle", { ageDays: 120 });
  await issue("openai-only", { ageDays: 120 });
  await env.sandboxClock(100 * DAY);
  await issue("forever", { ageDays: null });
  await issue("pivot");
  await issue("broad");
  await issue("team-b", { ownerId: env.users.devB.id, teamId: env.teams.B.id });
  await issue("haiku-only", { restrictions: { models: ["us.anthropic.claude-3-5-haiku-20241022-v1:0"], cidrs: [], notAfter: null } });

  // Made outside the console: an access key and a console password on a key's user, an
  // over-broad inline policy and AmazonBedrockFullAccess, a BedrockAPIKey-* user left with nothing.
  await iam.send(new CreateAccessKeyCommand({ UserName: keys.pivot!.iamUserName }));
  await iam.send(new CreateLoginProfileCommand({ UserName: keys.pivot!.iamUserName, Password: "Correct-Horse-9" }));
  await iam.send(new PutUserPolicyCommand({ UserName: keys.broad!.iamUserName, PolicyName: "ops-admin", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["iam:*", "s3:GetObject"], Resource: "*" }] }) }));
  await iam.send(new AttachUserPolicyCommand({ UserName: keys.broad!.iamUserName, PolicyArn: "arn:aws:iam::aws:policy/AmazonBedrockFullAccess" }));
  await iam.send(new CreateUserCommand({ UserName: "BedrockAPIKey-left1" }));

  // The org policy: keys at most 180 days, Haiku only; team B short-term only.
  await env.db.orgPolicy.create({
    data: { maxKeyAgeDays: 180, defaultExpiryDays: 30, allowedModels: JSON.stringify(["us.anthropic.claude-3-5-haiku-20241022-v1:0"]), longTermRequiresApproval: true, shortTermSelfService: true, shortTermMaxMinutes: 720, pickupWindowHours: 72 },
  });
  await env.db.postureSettings.create({ data: { id: "org", shortTermOnlyTeams: JSON.stringify([env.teams.B.id]) } });

  // "openai-only" was used only through the OpenAI SDK (the runtime's OpenAI-compatible door);
  // the usage sync reads it from CloudTrail like any other call.
  const client = new OpenAI({ apiKey: keys["openai-only"]!.secret, baseURL: `${env.sandbox.url}/bedrock-runtime/us-east-1/openai/v1`, maxRetries: 0 });
  await client.chat.completions.create({ model: "anthropic.claude-3-5-haiku-20241022-v1:0", messages: [{ role: "user", content: "Hello" }] });
  await syncRegion(env.syncDeps(), "us-east-1");
}, 120_000);

afterAll(async () => {
  await env?.close();
});

describe("posture evaluation", () => {
  let first: EvaluationOutcome;

  it("finds each rule's breakage with batch IAM calls", async () => {
    first = await evaluate();
    expect(await labels("noExpiry")).toEqual(["forever"]);
    expect(await labels("tooOld")).toEqual(["old"]);
    // 100 days without a call; the key used only through the OpenAI SDK is used.
    expect(await labels("unused")).toEqual(["idle", "old"]);
    const pivot = await one("pivot", "pivot");
    expect(JSON.parse(pivot.detail)).toMatchObject({ accessKeys: 1, password: true, mfa: false });
    expect(JSON.parse((await one("pivot", "broad")).detail).policies.map((p: { name: string }) => p.name).sort()).toEqual(["AmazonBedrockFullAccess", "ops-admin"]);
    const broad = (await findings("overBroad")).map((f) => JSON.parse(f.detail) as { policies: { name: string }[]; reasons: string[] });
    expect(broad.map((b) => [b.policies[0]!.name, b.reasons])).toEqual(expect.arrayContaining([["AmazonBedrockFullAccess", ["bedrockFullAccess"]], ["ops-admin", ["iam"]]]));
    expect(await labels("orphan")).toEqual(["BedrockAPIKey-left1"]);
    expect(await labels("shortTermOnly")).toEqual(["team-b"]);
    // Every key but the Haiku-only one may call any model; "forever" and "old" also outlive 180 days.
    const violations = await findings("policyViolation");
    expect(violations.map((v) => v.label)).not.toContain("haiku-only");
    expect(JSON.parse(violations.find((v) => v.label === "forever")!.detail)).toMatchObject({ lifetimeDays: "never", models: ["*"] });
    expect(JSON.parse(violations.find((v) => v.label === "old")!.detail)).toMatchObject({ lifetimeDays: 365 });

    // List and batch calls: one page each and one report, generated now, so no per-user read.
    expect(first.calls).toMatchObject({ ListServiceSpecificCredentials: 1, GetAccountAuthorizationDetails: 1, GenerateCredentialReport: 1, GetCredentialReport: 1, ListAccessKeys: 0, GetLoginProfile: 0, ListMFADevices: 0 });
    const stored = await env.db.postureEvaluation.findUniqueOrThrow({ where: { id: first.evaluationId } });
    expect(stored.totalCalls).toBe(first.totalCalls);
    expect(await env.db.postureDaily.count()).toBeGreaterThan(0);
  });

  it("a lead sees their teams' findings only, and cannot act outside them", async () => {
    const lead = await env.actor(env.users.leadB);
    const data = await loadPosture(env.db, lead, new Date());
    const shown = data.rules.flatMap((r) => r.findings.map((f) => f.label));
    expect(new Set(shown)).toEqual(new Set(["team-b"]));
    const other = await one("noExpiry", "forever");
    await expect(fixFinding(env.deps, lead, { findingId: other.id, fix: "disable" }, recordingAudit())).rejects.toMatchObject({ code: "notFound" });
    await expect(acceptFinding(env.db, lead, { findingId: other.id, reason: "not mine", expiresOn: "2999-01-01" }, new Date(), recordingAudit())).rejects.toMatchObject({ code: "notFound" });
  });

  it("accepting a risk moves it apart until its expiry", async () => {
    const admin = await env.actor(env.users.admin);
    const f = await one("policyViolation", "team-b");
    const now = new Date();
    const expiresOn = new Date(now.getTime() + 30 * DAY * 1000).toISOString().slice(0, 10);
    await acceptFinding(env.db, admin, { findingId: f.id, reason: "Pilot until the quarter ends", expiresOn }, now, recordingAudit());
    const data = await loadPosture(env.db, admin, now);
    expect(data.accepted.map((a) => a.label)).toEqual(["team-b"]);
    expect(data.rules.find((r) => r.rule === "policyViolation")!.findings.map((x) => x.label)).not.toContain("team-b");
    // After the expiry it is open again.
    const later = await loadPosture(env.db, admin, new Date(now.getTime() + 40 * DAY * 1000));
    expect(later.accepted).toEqual([]);
    expect(later.rules.find((r) => r.rule === "policyViolation")!.findings.map((x) => x.label)).toContain("team-b");
    await expect(acceptFinding(env.db, admin, { findingId: f.id, reason: "in the past", expiresOn: "2000-01-01" }, now, recordingAudit())).rejects.toMatchObject({ code: "invalidInput" });
  });

  it("the unused-key remediation: a dry run lists, the real run disables, both change only what they say", async () => {
    const rules = { disableUnused: true, deleteOrphans: false, orphanGraceDays: 30 };
    const dry = await runRemediation(env.deps, rules, { dryRun: true, trigger: "manual" });
    expect(dry.planned.map((p) => [p.kind, p.label])).toEqual([["disableKey", "idle"], ["disableKey", "old"]]);
    expect(await env.db.apiKey.count({ where: { status: "Inactive" } })).toBe(0);
    expect(await env.db.auditEntry.count({ where: { action: "posture.remediate" } })).toBe(0);

    const real = await runRemediation(env.deps, rules, { dryRun: false, trigger: "schedule" });
    expect(real).toMatchObject({ disabled: 2, failed: 0 });
    const statuses = await env.db.apiKey.findMany({ where: { id: { in: [keys.idle!.keyId, keys.old!.keyId] } }, select: { status: true } });
    expect(statuses.map((s) => s.status)).toEqual(["Inactive", "Inactive"]);
    const audits = await env.db.auditEntry.findMany({ where: { action: "posture.remediate" }, select: { result: true, actorEmail: true, targetLabel: true } });
    expect(audits.map((a) => [a.result, a.actorEmail, a.targetLabel]).sort()).toEqual([["success", "system", "idle"], ["success", "system", "old"]]);
    // IAM agrees, and the next evaluation no longer finds them unused (nor too old: disabled).
    const after = await evaluate();
    expect(await labels("unused")).toEqual([]);
    expect(await labels("tooOld")).toEqual([]);
    expect(after.byRule.unused ?? 0).toBe(0);
    // IAM reuses the report (under four hours old): what it flags is confirmed per user, only that.
    expect(after.calls).toMatchObject({ GenerateCredentialReport: 1, GetCredentialReport: 1, ListAccessKeys: 1, GetLoginProfile: 1, ListMFADevices: 0 });
    expect(await planRemediation(env.deps, rules)).toEqual([]);
  });

  it("refuses a fix that does not belong to the rule, and a lead's fixes beyond disabling", async () => {
    const f = await one("shortTermOnly", "team-b");
    const admin = await env.actor(env.users.admin);
    const lead = await env.actor(env.users.leadB);
    await expect(fixFinding(env.deps, admin, { findingId: f.id, fix: "deleteUser" }, recordingAudit())).rejects.toMatchObject({ code: "invalidInput" });
    await expect(fixFinding(env.deps, lead, { findingId: f.id, fix: "delete" }, recordingAudit())).rejects.toMatchObject({ code: "forbidden" });
    await fixFinding(env.deps, lead, { findingId: f.id, fix: "disable" }, recordingAudit());
    expect((await env.db.apiKey.findUniqueOrThrow({ where: { id: keys["team-b"]!.keyId } })).status).toBe("Inactive");
  });

  it("each fix clears its finding at the next evaluation", async () => {
    const admin = await env.actor(env.users.admin);
    const audit = () => recordingAudit();
    await fixFinding(env.deps, admin, { findingId: (await one("noExpiry", "forever")).id, fix: "delete" }, audit());
    await fixFinding(env.deps, admin, { findingId: (await one("orphan", "BedrockAPIKey-left1")).id, fix: "deleteUser" }, audit());
    const broad = await findings("overBroad");
    for (const f of broad) await fixFinding(env.deps, admin, { findingId: f.id, fix: "detachPolicy" }, audit());
    await fixFinding(env.deps, admin, { findingId: (await one("pivot", "pivot")).id, fix: "delete" }, audit());

    await evaluate();
    expect(await labels("noExpiry")).toEqual([]);
    expect(await labels("shortTermOnly")).toEqual([]);
    expect(await labels("orphan")).toEqual([]);
    expect(await labels("overBroad")).toEqual([]);
    expect(await labels("pivot")).toEqual([]);
    await expect(env.aws.iam.send(new GetUserCommand({ UserName: "BedrockAPIKey-left1" }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
    // The remaining violations are fixed by disabling (or, on the key page, by restricting) the keys.
    for (const f of await findings("policyViolation")) await fixFinding(env.deps, admin, { findingId: f.id, fix: "disable" }, audit());
    await evaluate();
    expect(await labels("policyViolation")).toEqual([]);
  });

});
