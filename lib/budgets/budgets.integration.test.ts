import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueLongTermKey } from "@/lib/keys/issue";
import { createKeysTestEnv, issueInput, type KeysTestEnv, recordingAudit } from "@/tests/support/keys-env";
import { deriveMailKey } from "@/lib/mail/crypto";
import { deliverDueMail, type MailDeps } from "@/lib/mail/outbox";
import { mailSettingsSchema } from "@/lib/mail/schema";
import { updateMailSettings } from "@/lib/mail/settings";
import { ensureShortTermRole } from "@/lib/shortterm/bootstrap";
import { generateShortTermKey, type ShortTermDeps } from "@/lib/shortterm/service";
import { startLocalSmtp, type LocalSmtp } from "@/lib/testing/smtp-server";
import { type BudgetDeps, evaluateBudgets } from "./evaluate";
import { budgetFormSchema, budgetPolicySchema } from "./schemas";
import { budgetReadScope, budgetStates, deleteBudget, setBudget, setBudgetPolicy } from "./service";
import { addCost } from "./test-cost";

const INVALID_KEY = "Authentication failed: Please make sure your API Key is valid.";
const SMTP_PASSWORD = "smtp-password-never-stored-in-clear";

let env: KeysTestEnv;
let smtp: LocalSmtp;
let deps: BudgetDeps;
let mail: MailDeps;
let shortTerm: ShortTermDeps;
const mailKey = deriveMailKey({ AUTH_SECRET: "vitest-only-auth-secret-not-used-anywhere-else" });

beforeAll(async () => {
  env = await createKeysTestEnv();
  smtp = await startLocalSmtp({ user: "console", password: SMTP_PASSWORD });
  const role = await ensureShortTermRole({ iam: env.aws.iam, sts: env.aws.sts });
  shortTerm = { db: env.db, iam: env.aws.iam, sts: env.aws.sts, now: () => new Date(), roleArn: role.roleArn, maxHours: 12, regions: ["us-east-1"] };
  deps = { db: env.db, now: env.deps.now, keys: env.deps, shortTerm, notify: { appUrl: "https://keys.example.com" } };
  mail = { db: env.db, now: () => new Date(), key: mailKey, maxAttempts: 3, retryBaseMs: 1000, timeoutMs: 5000 };
  const admin = await env.actor(env.users.admin);
  await updateMailSettings(
    env.db,
    admin,
    mailSettingsSchema.parse({ version: 0, host: smtp.host, port: String(smtp.port), tlsMode: "none", username: "console", password: SMTP_PASSWORD, fromAddress: "budgets@example.com" }),
    recordingAudit(),
    mailKey,
  );
  await env.db.webhookConfig.create({ data: { id: "org", url: "https://hooks.example.com/budget", version: 1 } });
});
afterAll(async () => {
  await smtp?.close();
  await env?.close();
});

const at = (iso: string) => new Date(iso);
const parse = (input: Record<string, unknown>) => budgetFormSchema.parse(input);

describe("budgets", () => {
  it("each threshold fires once per period: bell for owner and leads, webhook, e-mail over SMTP", async () => {
    const admin = await env.actor(env.users.admin);
    // The lead reads the console in Japanese: their e-mail is in Japanese, the owner's in English.
    await env.db.user.update({ where: { id: env.users.leadA.id }, data: { locale: "ja" } });
    const key = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Budgeted" }));
    await setBudget(env.db, admin, parse({ scope: "key", targetId: key.keyId, unit: "usd", amount: "10" }), recordingAudit());
    const subject = `key:${key.iamUserName}`;

    await addCost(env.db, { day: "2026-03-02", subject, costUsd: 5.5 });
    await addCost(env.db, { day: "2026-02-28", subject, costUsd: 100 }); // last month: not counted
    const first = await evaluateBudgets(deps, at("2026-03-10T12:00:00Z"));
    expect(first.alertsFired).toBe(1);
    // Run again, twice: nothing new.
    expect((await evaluateBudgets(deps, at("2026-03-10T12:05:00Z"))).alertsFired).toBe(0);
    expect((await evaluateBudgets(deps, at("2026-03-10T12:10:00Z"))).alertsFired).toBe(0);

    await addCost(env.db, { day: "2026-03-11", subject, costUsd: 3 });
    expect((await evaluateBudgets(deps, at("2026-03-11T12:00:00Z"))).alertsFired).toBe(1);
    const budget = await env.db.budget.findUniqueOrThrow({ where: { scopeKey: `key:${key.keyId}` } });
    expect((await env.db.budgetAlert.findMany({ where: { budgetId: budget.id }, orderBy: { threshold: "asc" } })).map((a) => [a.period, a.threshold])).toEqual([
      ["2026-03", 50],
      ["2026-03", 80],
    ]);

    // Bell: the owner (devA) and team A's lead, once per threshold; nobody else.
    const bell = await env.db.notification.findMany({ where: { kind: "budget.threshold" }, orderBy: { createdAt: "asc" } });
    expect(bell.map((n) => n.userId).sort()).toEqual([env.users.devA.id, env.users.devA.id, env.users.leadA.id, env.users.leadA.id].sort());
    expect(JSON.parse(bell[0]!.params)).toMatchObject({ label: "Budgeted", threshold: 50, limit: 10, spent: 5.5, unit: "usd" });
    // Webhook: one delivery per event.
    const hooks = await env.db.webhookDelivery.findMany({ where: { event: "budget.threshold" } });
    expect(hooks).toHaveLength(2);
    expect(JSON.parse(hooks[0]!.payload).data).toMatchObject({ label: "Budgeted", unit: "usd", limit: 10 });
    expect(JSON.parse(hooks[0]!.payload).text).toContain("$5.50 of $10.00");

    // E-mail: queued, then sent through the local SMTP server (with AUTH), and received.
    const run = await deliverDueMail(mail);
    expect(run).toMatchObject({ attempted: 4, sent: 4, failed: 0 });
    const received = await smtp.waitFor(4);
    expect(received.flatMap((m) => m.to).sort()).toEqual(["dev-a@example.com", "dev-a@example.com", "lead-a@example.com", "lead-a@example.com"]);
    const fifty = received.find((m) => m.subject === "Budget 50% reached: Budgeted");
    expect(fifty?.to).toEqual(["dev-a@example.com"]);
    expect(fifty?.from).toBe("budgets@example.com");
    expect(fifty?.text).toContain("https://keys.example.com/keys/" + key.keyId);
    expect(fifty?.text).toContain("calendar month in UTC");
    expect(fifty?.text).toContain("$5.50 of $10.00 in 2026-03");
    const fiftyJa = received.find((m) => m.subject === "予算の 50% に到達: Budgeted");
    expect(fiftyJa?.to).toEqual(["lead-a@example.com"]);
    expect(fiftyJa?.text).toContain("Budgeted の予算が 50 % に達しました");
    expect(fiftyJa?.text).toContain("$10.00 のうち $5.50");
    expect(fiftyJa?.text).toContain("UTC の暦月ごと");
    expect(fiftyJa?.text).toContain("https://keys.example.com/keys/" + key.keyId);

    // Next month: spend starts from 0, nothing fires.
    expect((await evaluateBudgets(deps, at("2026-04-01T00:05:00Z"))).alertsFired).toBe(0);
    // The SMTP password is stored sealed, never in clear.
    expect((await env.dbContents()).includes(Buffer.from(SMTP_PASSWORD))).toBe(false);
  });

  it("at 100 %: disables the key through IAM (the next call fails with AWS's message), once; re-enables it when the month turns", async () => {
    const admin = await env.actor(env.users.admin);
    const key = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Runaway" }));
    expect((await env.converse(key.secret)).status).toBe(200);
    await setBudget(env.db, admin, parse({ scope: "key", targetId: key.keyId, unit: "tokens", amount: "5000", thresholds: "80,100", enforce: "on", reenable: "on" }), recordingAudit());
    await addCost(env.db, { day: "2026-05-03", subject: `key:${key.iamUserName}`, costUsd: 0.5, tokens: 6000 });

    const run = await evaluateBudgets(deps, at("2026-05-03T09:00:00Z"));
    expect(run).toMatchObject({ alertsFired: 2, actionsTaken: 1, actionsFailed: 0 });
    const denied = await env.converse(key.secret);
    expect(denied.status).toBe(403);
    expect(denied.message).toBe(INVALID_KEY);
    expect(await env.db.apiKey.findUniqueOrThrow({ where: { id: key.keyId }, select: { status: true } })).toEqual({ status: "Inactive" });
    const disable = await env.db.auditEntry.findFirstOrThrow({ where: { action: "keys.disable", targetId: key.keyId } });
    expect(disable).toMatchObject({ actorEmail: "system", result: "success" });
    expect(JSON.parse(disable.details)).toMatchObject({ reason: "budget", period: "2026-05", from: "Active", to: "Inactive" });
    expect(await env.db.notification.count({ where: { kind: "budget.enforced" } })).toBe(2);

    // Again: nothing more is done (the action is recorded once per period).
    expect(await evaluateBudgets(deps, at("2026-05-03T09:05:00Z"))).toMatchObject({ alertsFired: 0, actionsTaken: 0 });
    expect(await env.db.auditEntry.count({ where: { action: "keys.disable", targetId: key.keyId } })).toBe(1);
    const state = (await budgetStates(env.db, { apiKeyId: key.keyId }, at("2026-05-03T09:05:00Z")))[0]!;
    expect(state).toMatchObject({ spent: 6000, percent: 120, fired: [{ threshold: 80 }, { threshold: 100 }], actions: [{ kind: "key.disable", status: "done", undoneAt: null }] });

    // The month turns (clock injected): the key works again, audited; nothing fires in June.
    const june = await evaluateBudgets(deps, at("2026-06-01T00:03:00Z"));
    expect(june).toMatchObject({ reenabled: 1, alertsFired: 0, actionsTaken: 0 });
    expect((await env.converse(key.secret)).status).toBe(200);
    const enable = await env.db.auditEntry.findFirstOrThrow({ where: { action: "keys.enable", targetId: key.keyId } });
    expect(enable.actorEmail).toBe("system");
    expect(JSON.parse(enable.details)).toMatchObject({ reason: "budget_period_ended", period: "2026-05", to: "Active" });
    expect((await evaluateBudgets(deps, at("2026-06-01T00:08:00Z"))).reenabled).toBe(0);
  });

  it("re-enables only what the budget disabled: a key disabled by a person before the budget acted stays disabled", async () => {
    const admin = await env.actor(env.users.admin);
    const key = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Already off" }));
    const { setKeyStatus } = await import("@/lib/keys/lifecycle");
    await setKeyStatus(env.deps, admin, key.keyId, "Inactive");
    await setBudget(env.db, admin, parse({ scope: "key", targetId: key.keyId, unit: "usd", amount: "1", enforce: "on", reenable: "on" }), recordingAudit());
    await addCost(env.db, { day: "2026-07-03", subject: `key:${key.iamUserName}`, costUsd: 2 });
    expect(await evaluateBudgets(deps, at("2026-07-03T10:00:00Z"))).toMatchObject({ actionsTaken: 0 });
    expect(await evaluateBudgets(deps, at("2026-08-01T00:05:00Z"))).toMatchObject({ reenabled: 0 });
    expect(await env.db.apiKey.findUniqueOrThrow({ where: { id: key.keyId }, select: { status: true } })).toEqual({ status: "Inactive" });
  });

  it("a person's budget revokes their short-term keys at 100 % (AWS's explicit deny), audited as the system", async () => {
    const admin = await env.actor(env.users.admin);
    const dev = await env.actor(env.users.devA2);
    const now = new Date();
    const issued = await generateShortTermKey(shortTerm, dev, { region: "us-east-1", expiresInMinutes: 60 });
    expect((await env.converse(issued.token)).status).toBe(200);
    await setBudget(env.db, admin, parse({ scope: "person", targetId: dev.id, unit: "usd", amount: "2", enforce: "on" }), recordingAudit());
    await addCost(env.db, { day: now.toISOString().slice(0, 10), subject: `identity:${issued.sourceIdentity}`, costUsd: 2.5 });
    // The revocation cutoff is "now" in the sandbox's clock, so this evaluates at the real time.
    expect(await evaluateBudgets(deps, now)).toMatchObject({ actionsTaken: 1 });
    const denied = await env.converse(issued.token);
    expect(denied.status).toBe(403);
    expect(denied.message).toMatch(/explicit deny/);
    const revoke = await env.db.auditEntry.findFirstOrThrow({ where: { action: "shortterm.revoke", targetId: dev.id } });
    expect(revoke.actorEmail).toBe("system");
    expect(JSON.parse(revoke.details)).toMatchObject({ reason: "budget" });

    // Nothing new: the next evaluation does nothing. A key made after the revocation works (a
    // revocation is a cut-off) — until the next evaluation, while the budget is still over.
    expect(await evaluateBudgets(deps, new Date())).toMatchObject({ actionsTaken: 0 });
    const again = await generateShortTermKey(shortTerm, dev, { region: "us-east-1", expiresInMinutes: 60 });
    expect((await env.converse(again.token)).status).toBe(200);
    expect(await evaluateBudgets(deps, new Date())).toMatchObject({ actionsTaken: 1 });
    expect((await env.converse(again.token)).status).toBe(403);
    // Told once: the repeat sends no second bell or e-mail.
    expect(await env.db.notification.count({ where: { kind: "budget.enforced", userId: dev.id } })).toBe(1);
  });

  it("a team budget counts the team's keys and its members' short-term keys, not another team's", async () => {
    const admin = await env.actor(env.users.admin);
    const mine = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Team B key", ownerId: env.users.devB.id, teamId: env.teams.B.id }));
    await setBudget(env.db, admin, parse({ scope: "team", targetId: env.teams.B.id, unit: "usd", amount: "100" }), recordingAudit());
    await addCost(env.db, { day: "2026-09-01", subject: `key:${mine.iamUserName}`, costUsd: 30 });
    await addCost(env.db, { day: "2026-09-01", subject: "key:someone-elses-key", costUsd: 500 });
    const state = (await budgetStates(env.db, { teamId: env.teams.B.id }, at("2026-09-02T00:00:00Z")))[0]!;
    expect(state).toMatchObject({ scope: "team", label: "Research", spent: 30, percent: 30 });
  });
});

describe("budget input and who may set what", () => {
  it("refuses negative, zero, absurd and malformed amounts and thresholds with clear codes", () => {
    const base = { scope: "key", targetId: "k1", unit: "usd" };
    const issue = (input: Record<string, unknown>) => budgetFormSchema.safeParse({ ...base, ...input }).error?.issues[0]?.message;
    expect(issue({ amount: "-5" })).toBe("field.budgetPositive");
    expect(issue({ amount: "0" })).toBe("field.budgetPositive");
    expect(issue({ amount: "abc" })).toBe("field.budgetAmount");
    expect(issue({ amount: "1e12" })).toBe("field.budgetTooLarge");
    expect(issue({ amount: "10.001" })).toBe("field.budgetCents");
    expect(issue({ amount: "10", unit: "tokens" })).toBeUndefined();
    expect(issue({ amount: "10.5", unit: "tokens" })).toBe("field.budgetWholeTokens");
    expect(issue({ amount: "10", thresholds: "50,50" })).toBe("field.budgetThresholds");
    expect(issue({ amount: "10", thresholds: "0,100" })).toBe("field.budgetThresholds");
    expect(issue({ amount: "10", thresholds: "fifty" })).toBe("field.budgetThresholds");
    expect(issue({ amount: "10", reenable: "on" })).toBe("field.budgetReenable");
    expect(budgetFormSchema.parse({ ...base, amount: "1,250.50", thresholds: "100 50 80" })).toMatchObject({ amount: 1250.5, thresholds: [50, 80, 100] });
    expect(budgetPolicySchema.safeParse({ leadCeilingUsd: "-1", leadCeilingTokens: "" }).success).toBe(false);
  });

  it("leads: only their teams and their teams' keys, never above the admin's ceiling — refused on the server, nothing changed", async () => {
    const admin = await env.actor(env.users.admin);
    const leadA = await env.actor(env.users.leadA);
    const keyA = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Lead A key" }));
    const keyB = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Lead B key", ownerId: env.users.devB.id, teamId: env.teams.B.id }));
    const count = () => env.db.budget.count();
    const before = await count();

    // No ceiling set yet: leads may not set budgets at all.
    await expect(setBudget(env.db, leadA, parse({ scope: "key", targetId: keyA.keyId, unit: "usd", amount: "50" }), recordingAudit())).rejects.toMatchObject({ code: "budgets.noLeadCeiling" });
    await setBudgetPolicy(env.db, admin, budgetPolicySchema.parse({ leadCeilingUsd: "100", leadCeilingTokens: "" }), recordingAudit());

    await expect(setBudget(env.db, leadA, parse({ scope: "key", targetId: keyA.keyId, unit: "usd", amount: "100.01" }), recordingAudit())).rejects.toMatchObject({ code: "budgets.overCeiling", params: { ceiling: 100 } });
    await expect(setBudget(env.db, leadA, parse({ scope: "key", targetId: keyA.keyId, unit: "tokens", amount: "1000" }), recordingAudit())).rejects.toMatchObject({ code: "budgets.noLeadCeiling" });
    await expect(setBudget(env.db, leadA, parse({ scope: "key", targetId: keyB.keyId, unit: "usd", amount: "5" }), recordingAudit())).rejects.toMatchObject({ code: "notFound" });
    await expect(setBudget(env.db, leadA, parse({ scope: "team", targetId: env.teams.B.id, unit: "usd", amount: "5" }), recordingAudit())).rejects.toMatchObject({ code: "notFound" });
    await expect(setBudget(env.db, leadA, parse({ scope: "person", targetId: env.users.devA.id, unit: "usd", amount: "5" }), recordingAudit())).rejects.toMatchObject({ code: "notFound" });
    const dev = await env.actor(env.users.devA);
    await expect(setBudget(env.db, dev, parse({ scope: "key", targetId: keyA.keyId, unit: "usd", amount: "5" }), recordingAudit())).rejects.toMatchObject({ code: "notFound" });
    expect(await count()).toBe(before);

    const audit = recordingAudit();
    await setBudget(env.db, leadA, parse({ scope: "team", targetId: env.teams.A.id, unit: "usd", amount: "100", enforce: "on" }), audit);
    expect(audit.targets[0]).toMatchObject({ type: "budget", id: `team:${env.teams.A.id}`, teamId: env.teams.A.id });
    // A lead's team budget disables the team's keys but never revokes short-term keys (admin-only).
    expect(audit.details).toMatchObject({ before: null, after: { amount: 100, unit: "usd", enforce: true, revokeShortTerm: false, thresholds: [50, 80, 100] } });
    expect(await count()).toBe(before + 1);
  });

  it("who sees which budgets: developers their own keys' and their own; leads their teams'; removal follows the same rule", async () => {
    const admin = await env.actor(env.users.admin);
    const devB = await env.actor(env.users.devB);
    const leadA = await env.actor(env.users.leadA);
    const leadB = await env.actor(env.users.leadB);
    const keyB = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Visible to B", ownerId: env.users.devB.id, teamId: env.teams.B.id }));
    const { budgetId } = await setBudget(env.db, admin, parse({ scope: "key", targetId: keyB.keyId, unit: "usd", amount: "7" }), recordingAudit());
    const seen = async (actor: Awaited<ReturnType<typeof env.actor>>) => (await env.db.budget.findMany({ where: await budgetReadScope(env.db, actor), select: { id: true } })).map((b) => b.id);
    expect(await seen(devB)).toContain(budgetId);
    expect(await seen(leadB)).toContain(budgetId);
    expect(await seen(leadA)).not.toContain(budgetId);
    expect(await seen(await env.actor(env.users.devA))).not.toContain(budgetId);
    await expect(deleteBudget(env.db, leadA, budgetId, recordingAudit())).rejects.toMatchObject({ code: "notFound" });
    expect(await env.db.budget.count({ where: { id: budgetId } })).toBe(1);
    await deleteBudget(env.db, admin, budgetId, recordingAudit());
    expect(await env.db.budget.count({ where: { id: budgetId } })).toBe(0);
  });
});
