import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueLongTermKey } from "@/lib/keys/issue";
import type { KeyActor } from "@/lib/keys/types";
import { createRequestsTestEnv, type RequestsTestEnv, startReceiver } from "@/tests/support/requests-env";
import { webhookFormSchema } from "@/lib/webhooks/schema";
import { updateWebhookSettings } from "@/lib/webhooks/settings";
import { eventText, eventTextFor } from "./service";
import { remindExpiringKeys } from "./key-reminders";
import { loadInbox, markRead } from "./queries";

let env: RequestsTestEnv;
let admin: KeyActor;
const DAY = 86_400_000;

beforeAll(async () => {
  env = await createRequestsTestEnv();
  admin = await env.actor(env.users.admin);
});
afterAll(async () => env?.close());

describe("reminders of expiring keys", () => {
  it("tell the owner and the team's leads once per key and expiry, and the webhook once", async () => {
    const receiver = await startReceiver();
    try {
      await updateWebhookSettings(env.db, admin, webhookFormSchema.parse({ version: 0, url: receiver.url }), env.audit(), env.webhookPolicy);
      const soon = await issueLongTermKey(env.deps.keys(), admin, env.issueInput({ name: "Expires soon", ageDays: 5 }));
      await issueLongTermKey(env.deps.keys(), admin, env.issueInput({ name: "Expires later", ageDays: 30 }));
      const research = await issueLongTermKey(env.deps.keys(), admin, env.issueInput({ name: "Research soon", ownerId: env.users.devB.id, teamId: env.teams.B.id, ageDays: 2 }));

      expect(await remindExpiringKeys(env.deps.notify)).toBe(2);
      await env.settle();
      const about = async (keyId: string) =>
        (await env.db.notification.findMany({ where: { kind: "key.expiring", href: `/keys/${keyId}` }, select: { userId: true } })).map((n) => n.userId).sort();
      expect(await about(soon.keyId)).toEqual([env.users.leadA.id, env.users.devA.id].sort());
      expect(await about(research.keyId)).toEqual([env.users.leadB.id, env.users.devB.id].sort());

      // Again (the job runs every few minutes): nothing new, no second webhook.
      expect(await remindExpiringKeys(env.deps.notify)).toBe(0);
      await env.settle();
      expect(receiver.received.map((r) => JSON.parse(r.body).data.keyName).sort()).toEqual(["Expires soon", "Research soon"]);

      // 24 days on, the 30-day key is within 7 days of its expiry too.
      env.setNow(new Date(Date.now() + 24 * DAY));
      expect(await remindExpiringKeys(env.deps.notify)).toBe(1);
    } finally {
      env.tick();
      await receiver.close();
    }
  });
});

describe("the inbox", () => {
  it("shows a person their own notifications; marking read cannot touch anyone else's", async () => {
    const devA = env.users.devA.id;
    const leadA = env.users.leadA.id;
    const mine = await loadInbox(env.db, devA);
    const theirs = await loadInbox(env.db, leadA);
    expect(mine.unread).toBeGreaterThan(0);
    expect(theirs.unread).toBeGreaterThan(0);
    // Ids of someone else's notifications change nothing.
    expect(await markRead(env.db, devA, theirs.items.map((i) => i.id), new Date())).toBe(0);
    expect((await loadInbox(env.db, leadA)).unread).toBe(theirs.unread);
    expect(await markRead(env.db, devA, [mine.items[0]!.id], new Date())).toBe(1);
    expect((await loadInbox(env.db, devA)).unread).toBe(mine.unread - 1);
    await markRead(env.db, devA, "all", new Date());
    expect((await loadInbox(env.db, devA)).unread).toBe(0);
    expect((await loadInbox(env.db, devA)).items.every((i) => i.read)).toBe(true);
  });
});

describe("notification text", () => {
  it("renders every kind in English for the webhook, dates in UTC", () => {
    expect(eventText("request.submitted", { requester: "Dana", team: "Payments", label: "Bot" })).toBe("Dana asked for a key for Payments: “Bot”.");
    expect(eventText("request.expiring", { label: "Bot", pickupBy: "2030-01-02T15:04:00.000Z" })).toBe(
      "Your approval for “Bot” expires on Jan 2, 2030, 3:04 PM UTC. Pick up the key before then.",
    );
    expect(eventText("key.expiring", { keyName: "K", team: "T", expiresAt: "2030-01-02T00:00:00.000Z" })).toContain("Jan 2, 2030");
  });

  it("writes budget amounts in the reader's language, and keeps the English text of older notifications", () => {
    const tokens = { label: "Bot", threshold: 80, spent: 1_234_567, limit: 1_500_000, unit: "tokens", period: "2030-01" };
    expect(eventText("budget.threshold", tokens)).toBe("The budget of Bot reached 80 %: 1,234,567 tokens of 1,500,000 tokens in 2030-01 (UTC).");
    expect(eventTextFor("budget.threshold", tokens, "ja", "Asia/Tokyo")).toContain("1,500,000 トークン のうち 1,234,567 トークン");
    expect(eventTextFor("budget.threshold", { ...tokens, spent: 1, unit: "usd" }, "ko", null)).toContain("US$1.00");
    // Stored before amounts were numbers: already text, shown as it is.
    expect(eventTextFor("budget.threshold", { ...tokens, spent: "$5.50", limit: "$10.00" }, "ja", null)).toContain("$10.00 のうち $5.50");
  });
});
