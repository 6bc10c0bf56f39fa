/**
 * Webhook deliveries end to end: an action queues the event (one insert), a worker POSTs it to a
 * receiver on 127.0.0.1 with a verifiable signature; a dead receiver never blocks the action, and
 * each retry is recorded with exponential backoff until the delivery gives up.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActionError } from "@/lib/actions/errors";
import type { KeyActor } from "@/lib/keys/types";
import { submitRequest } from "@/lib/requests/service";
import { createRequestsTestEnv, deadUrl, type RequestsTestEnv, startReceiver } from "@/tests/support/requests-env";
import { deliverDue, enqueueWebhook } from "./deliver";
import { listDeliveries } from "./queries";
import { webhookFormSchema } from "./schema";
import { getWebhookSettings, updateWebhookSettings } from "./settings";
import { verifySignature } from "./signature";
import type { Resolver, TargetPolicy } from "./transport";

let env: RequestsTestEnv;
let admin: KeyActor, devA: KeyActor;
const SECRET = "webhook-signing-secret-0123";

beforeAll(async () => {
  env = await createRequestsTestEnv();
  admin = await env.actor(env.users.admin);
  devA = await env.actor(env.users.devA);
});
afterAll(async () => env?.close());

// DNS in these tests is a stub: hooks.example.com is public; the receivers are on 127.0.0.1,
// which the environment's allow-list names (as WEBHOOK_ALLOWED_HOSTS would).
const publicDns: Resolver = async (host) => (host === "hooks.example.com" ? [{ address: "93.184.215.14", family: 4 }] : []);

async function configure(url: string | undefined, secret?: string, policy: TargetPolicy = { ...env.webhookPolicy, resolve: publicDns }) {
  const { version } = await getWebhookSettings(env.db);
  const audit = env.audit();
  await updateWebhookSettings(env.db, admin, webhookFormSchema.parse({ version, url: url ?? "", secret: secret ?? "" }), audit, policy);
  return audit;
}

const ask = (keyName: string) => ({ kind: "long-term" as const, teamId: env.teams.A.id, keyName, purpose: "Bot", justification: "Needed", duration: 30, models: [] });

describe("outgoing webhook", () => {
  it("is audited by host and 'signed', never with the URL's path or the secret", async () => {
    const audit = await configure("https://hooks.example.com/services/T0/B0/TOKEN123", SECRET);
    expect(audit.details).toEqual({
      before: { enabled: false, host: null, signed: false },
      after: { enabled: true, host: "hooks.example.com", signed: true },
      secretChanged: true,
    });
    expect(JSON.stringify(audit.details)).not.toContain("TOKEN123");
    expect(JSON.stringify(audit.details)).not.toContain(SECRET);
    expect(await getWebhookSettings(env.db)).toMatchObject({ url: "https://hooks.example.com/services/T0/B0/TOKEN123", hasSecret: true });
    expect(await getWebhookSettings(env.db)).not.toHaveProperty("secret");
  });

  it("delivers an event to the receiver with a signature it can verify", async () => {
    const receiver = await startReceiver();
    try {
      await configure(receiver.url);
      const { requestId } = await submitRequest(env.deps, devA, ask("Webhook delivered"), env.audit());
      await env.settle();
      expect(receiver.received).toHaveLength(1);
      const [hit] = receiver.received;
      const timestamp = Number(hit!.headers["x-bkc-timestamp"]);
      expect(verifySignature(SECRET, timestamp, hit!.body, hit!.headers["x-bkc-signature"] as string)).toBe(true);
      expect(hit!.headers["x-bkc-event"]).toBe("request.submitted");
      const payload = JSON.parse(hit!.body);
      expect(payload).toMatchObject({
        id: hit!.headers["x-bkc-delivery"],
        event: "request.submitted",
        data: { requestId, team: "Payments", requester: "dev-a@example.com", link: `https://keys.example.com/requests/${requestId}` },
      });
      expect(payload.text).toBe(`dev-a asked for a key for Payments: “Webhook delivered”. https://keys.example.com/requests/${requestId}`);
      const log = await listDeliveries(env.db, 1);
      expect(log.items[0]).toMatchObject({ event: "request.submitted", status: "delivered", attempts: 1, lastStatus: 200, host: receiver.url.split("/")[2] });
    } finally {
      await receiver.close();
    }
  });

  it("retries a failing receiver with backoff and delivers once it answers 2xx", async () => {
    const receiver = await startReceiver([500]);
    try {
      await configure(receiver.url);
      await submitRequest(env.deps, devA, ask("Webhook retried"), env.audit());
      await env.settle();
      const first = await env.db.webhookDelivery.findFirstOrThrow({ orderBy: { createdAt: "desc" }, include: { attemptLog: true } });
      expect(first).toMatchObject({ status: "pending", attempts: 1, lastStatus: 500, lastError: "HTTP 500" });
      expect(first.nextAttemptAt.getTime() - first.attemptLog[0]!.attemptedAt.getTime()).toBe(30_000);
      // Not due yet: nothing is sent.
      expect(await deliverDue(env.webhook)).toMatchObject({ attempted: 0 });
      env.setNow(new Date(env.deps.now().getTime() + 31_000));
      expect(await deliverDue(env.webhook)).toMatchObject({ attempted: 1, delivered: 1 });
      expect(receiver.received).toHaveLength(2);
      // The same delivery id both times, so the receiver can drop a duplicate.
      expect(receiver.received[0]!.headers["x-bkc-delivery"]).toBe(receiver.received[1]!.headers["x-bkc-delivery"]);
    } finally {
      env.tick();
      await receiver.close();
    }
  });

  it("a dead receiver does not block the action; attempts are recorded until it gives up", async () => {
    await configure(await deadUrl());
    const started = performance.now();
    const { requestId } = await submitRequest(env.deps, devA, ask("Webhook to nowhere"), env.audit());
    expect(performance.now() - started).toBeLessThan(1_000);
    expect((await env.db.keyRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("pending");
    await env.settle();

    const id = (await env.db.webhookDelivery.findFirstOrThrow({ orderBy: { createdAt: "desc" } })).id;
    let row = await env.db.webhookDelivery.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastStatus: null, lastError: "ECONNREFUSED" });
    const t0 = env.deps.now().getTime();
    try {
      env.setNow(new Date(t0 + 31_000));
      await deliverDue(env.webhook);
      row = await env.db.webhookDelivery.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({ status: "pending", attempts: 2 });
      expect(row.nextAttemptAt.getTime()).toBe(t0 + 31_000 + 60_000);
      env.setNow(new Date(t0 + 31_000 + 61_000));
      await deliverDue(env.webhook);
      row = await env.db.webhookDelivery.findUniqueOrThrow({ where: { id } });
      // maxAttempts is 3 in the test environment.
      expect(row).toMatchObject({ status: "failed", attempts: 3, lastError: "ECONNREFUSED" });
      expect(await env.db.webhookAttempt.count({ where: { deliveryId: id } })).toBe(3);
      env.setNow(new Date(t0 + 3_600_000));
      expect(await deliverDue(env.webhook)).toMatchObject({ attempted: 0 });
    } finally {
      env.tick();
    }
    expect(env.notifyErrors).toEqual([]);
  });

  it("queues nothing when the webhook is off, and fails what was queued before it was turned off", async () => {
    const receiver = await startReceiver();
    await configure(receiver.url);
    await receiver.close();
    // Queued while on; turned off before the worker got to it.
    await env.db.webhookDelivery.create({ data: { event: "request.submitted", payload: "{}", url: receiver.url, nextAttemptAt: env.deps.now() } });
    await configure(undefined);
    const before = await env.db.webhookDelivery.count();
    await submitRequest(env.deps, devA, ask("No webhook"), env.audit());
    expect(await env.db.webhookDelivery.count()).toBe(before);
    await deliverDue(env.webhook);
    expect(await env.db.webhookDelivery.count({ where: { status: "pending" } })).toBe(0);
  });
});

describe("webhook SSRF guard (issue #10)", () => {
  it.each([
    ["http://127.0.0.1:9/hook", "webhooks.addressNotAllowed"],
    ["https://127.1/hook", "webhooks.addressNotAllowed"],
    ["https://169.254.169.254/latest/meta-data/", "webhooks.addressNotAllowed"],
    ["https://[fd00:ec2::254]/", "webhooks.addressNotAllowed"],
    ["https://[::ffff:10.0.0.1]/", "webhooks.addressNotAllowed"],
    ["http://hooks.example.com/services/T0", "webhooks.httpsRequired"],
  ])("refuses to save %s with a field error, changing nothing", async (url, code) => {
    await configure(undefined);
    const before = await getWebhookSettings(env.db);
    const error = await configure(url, undefined, { allowedHosts: [], resolve: publicDns }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect(error).toMatchObject({ code, fieldErrors: { url: { code } } });
    expect(await getWebhookSettings(env.db)).toEqual(before);
  });

  it("refuses at delivery a host the allow-list no longer names, and logs only 'refused: address not allowed'", async () => {
    const receiver = await startReceiver();
    try {
      await configure(receiver.url);
      await enqueueWebhook(env.db, { event: "webhook.test", text: "t", data: {} }, env.deps.now());
      expect(await deliverDue({ ...env.webhook, allowedHosts: [] })).toMatchObject({ attempted: 1, delivered: 0 });
      expect(receiver.received).toEqual([]);
      const log = await listDeliveries(env.db, 1);
      expect(log.items[0]).toMatchObject({ status: "pending", lastStatus: null, lastError: "refused: address not allowed" });
    } finally {
      await receiver.close();
      await env.db.webhookDelivery.updateMany({ where: { status: "pending" }, data: { status: "failed" } });
    }
  });

  it("DNS rebinding: a name that was public when saved and points at the receiver on 127.0.0.1 at delivery is refused", async () => {
    const receiver = await startReceiver();
    const port = new URL(receiver.url).port;
    let calls = 0;
    // First answer (the save-time check) public, every later one loopback: a rebinding name.
    const rebinding: Resolver = async () => (calls++ === 0 ? [{ address: "93.184.215.14", family: 4 }] : [{ address: "127.0.0.1", family: 4 }]);
    try {
      await configure(`https://rebind.example.test:${port}/hooks/console`, undefined, { allowedHosts: [], resolve: rebinding });
      await enqueueWebhook(env.db, { event: "webhook.test", text: "t", data: {} }, env.deps.now());
      expect(await deliverDue({ ...env.webhook, allowedHosts: [], resolve: rebinding })).toMatchObject({ attempted: 1, delivered: 0 });
      expect(calls).toBe(2);
      expect(receiver.received).toEqual([]);
      const row = await env.db.webhookDelivery.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
      expect(row.lastError).toBe("refused: address not allowed");
    } finally {
      await receiver.close();
      await env.db.webhookDelivery.updateMany({ where: { status: "pending" }, data: { status: "failed" } });
    }
  });

  it("escapes chat control sequences in the text", async () => {
    const receiver = await startReceiver();
    try {
      await configure(receiver.url);
      await enqueueWebhook(env.db, { event: "webhook.test", text: "<!channel> <@U024BE7LH> <!here> @here @channel & more", data: {} }, env.deps.now());
      await deliverDue(env.webhook);
      const { text } = JSON.parse(receiver.received[0]!.body) as { text: string };
      expect(text).toBe("&lt;!channel&gt; &lt;@U024BE7LH&gt; &lt;!here&gt; @\u200Bhere @\u200Bchannel &amp; more");
      expect(text).not.toMatch(/<[!@]|@(here|channel)\b/);
    } finally {
      await receiver.close();
    }
  });
});
