import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordingAudit } from "@/tests/support/keys-env";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { startLocalSmtp, type LocalSmtp } from "@/lib/testing/smtp-server";
import { deriveMailKey, openPassword } from "./crypto";
import { deliverDueMail, enqueueMail, type MailDeps } from "./outbox";
import { mailSettingsSchema } from "./schema";
import { sendMail } from "./send";
import { getMailSettings, smtpTarget, updateMailSettings } from "./settings";

const PASSWORD = "correct-horse-battery-staple-smtp";
const key = deriveMailKey({ AUTH_SECRET: "vitest-only-auth-secret-not-used-anywhere-else" });
const admin = { id: "admin-1", email: "admin@example.com" };

let testDb: TestDb;
let smtp: LocalSmtp;
let clock = new Date("2026-12-05T10:00:00Z");
let deps: MailDeps;

beforeAll(async () => {
  testDb = await createTestDb();
  smtp = await startLocalSmtp({ user: "console", password: PASSWORD });
  deps = { db: testDb.db, now: () => clock, key, maxAttempts: 3, retryBaseMs: 60_000, timeoutMs: 5000 };
});
afterAll(async () => {
  await smtp?.close();
  await testDb?.cleanup();
});

const form = (over: Record<string, unknown> = {}) => ({ version: "0", host: "127.0.0.1", port: String(smtp.port), tlsMode: "none", username: "console", password: PASSWORD, fromAddress: "keys@example.com", ...over });

describe("SMTP settings", () => {
  it("refuses bad input with field codes", () => {
    const issue = (over: Record<string, unknown>) => mailSettingsSchema.safeParse(form(over)).error?.issues.map((i) => `${i.path.join(".")}:${i.message}`)[0];
    expect(issue({ host: "smtp://mail.example.com:25" })).toBe("host:field.smtpHost");
    expect(issue({ port: "70000" })).toMatch(/^port:/);
    expect(issue({ tlsMode: "ssl3" })).toMatch(/^tlsMode:/);
    expect(issue({ fromAddress: "not an address" })).toMatch(/^fromAddress:/);
  });

  it("stores the password sealed, shows only that one is set, audits without it; a stale version is a conflict", async () => {
    const audit = recordingAudit();
    const view = await updateMailSettings(testDb.db, admin, mailSettingsSchema.parse(form()), audit, key);
    expect(view).toMatchObject({ version: 1, enabled: true, host: "127.0.0.1", hasPassword: true, username: "console" });
    expect(JSON.stringify(view)).not.toContain(PASSWORD);
    expect(JSON.stringify(audit.details)).not.toContain(PASSWORD);
    expect(audit.details).toMatchObject({ after: { host: "127.0.0.1", hasPassword: true }, passwordChanged: true });
    const row = await testDb.db.mailSettings.findUniqueOrThrow({ where: { id: "org" } });
    expect(row.passwordSealed).not.toContain(PASSWORD);
    expect(openPassword(key, row.passwordSealed!)).toBe(PASSWORD);
    // Another key (AUTH_SECRET rotated) cannot open it.
    expect(openPassword(deriveMailKey({ AUTH_SECRET: "another-secret-of-at-least-32-characters!!" }), row.passwordSealed!)).toBeNull();

    await expect(updateMailSettings(testDb.db, admin, mailSettingsSchema.parse(form({ version: "0", host: "evil.example.com" })), recordingAudit(), key)).rejects.toMatchObject({ code: "conflict" });
    expect((await getMailSettings(testDb.db)).host).toBe("127.0.0.1");
    // Saving without a password keeps the stored one.
    await updateMailSettings(testDb.db, admin, mailSettingsSchema.parse(form({ version: "1", password: "" })), recordingAudit(), key);
    expect((await smtpTarget(testDb.db, key))?.password).toBe(PASSWORD);
    expect((await testDb.contents()).includes(Buffer.from(PASSWORD))).toBe(false);
  });
});

describe("outbox", () => {
  it("sends through real SMTP with AUTH; a refused login is retried with growing waits, then marked failed", async () => {
    const before = smtp.received.length;
    expect(await enqueueMail(testDb.db, "test", [{ to: "lead@example.com", subject: "Budget 80% reached: Payments", text: "Hello" }], clock)).toBe(1);
    expect(await deliverDueMail(deps)).toMatchObject({ attempted: 1, sent: 1 });
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail).toMatchObject({ from: "keys@example.com", to: ["lead@example.com"], subject: "Budget 80% reached: Payments" });
    expect(mail!.text.trim()).toBe("Hello");

    // Wrong password: the server answers 535; the message waits and is tried again.
    await updateMailSettings(testDb.db, admin, mailSettingsSchema.parse(form({ version: "2", password: "wrong-password" })), recordingAudit(), key);
    await enqueueMail(testDb.db, "test", [{ to: "dev@example.com", subject: "Retry me", text: "x" }], clock);
    expect(await deliverDueMail(deps)).toMatchObject({ attempted: 1, sent: 0, failed: 0 });
    let row = await testDb.db.mailOutbox.findFirstOrThrow({ where: { subject: "Retry me" } });
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "SMTP 535" });
    expect(row.nextAttemptAt.getTime() - clock.getTime()).toBe(60_000);
    expect(await deliverDueMail(deps)).toMatchObject({ attempted: 0 }); // not due yet
    clock = new Date(clock.getTime() + 60_000);
    await deliverDueMail(deps);
    row = await testDb.db.mailOutbox.findFirstOrThrow({ where: { subject: "Retry me" } });
    expect(row).toMatchObject({ attempts: 2, status: "pending" });
    expect(row.nextAttemptAt.getTime() - clock.getTime()).toBe(120_000);
    clock = new Date(clock.getTime() + 120_000);
    expect(await deliverDueMail(deps)).toMatchObject({ attempted: 1, failed: 1 });
    row = await testDb.db.mailOutbox.findFirstOrThrow({ where: { subject: "Retry me" } });
    expect(row).toMatchObject({ attempts: 3, status: "failed", lastError: "SMTP 535" });
    expect(smtp.received.some((m) => m.subject === "Retry me")).toBe(false);
  });

  it("a server that is not there: the connection error's code, and nothing queued once e-mail is off", async () => {
    const closed = await startLocalSmtp();
    const port = closed.port;
    await closed.close();
    const error = await sendMail({ host: "127.0.0.1", port, tlsMode: "none", username: null, password: null, fromAddress: "keys@example.com" }, { to: "a@example.com", subject: "s", text: "t" }, { timeoutMs: 2000 }).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("ESOCKET");
    await updateMailSettings(testDb.db, admin, mailSettingsSchema.parse(form({ version: "3", host: "" })), recordingAudit(), key);
    expect(await enqueueMail(testDb.db, "test", [{ to: "a@example.com", subject: "s", text: "t" }], clock)).toBe(0);
  });
});
