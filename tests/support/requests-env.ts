/**
 * Test-only: the keys test environment (in-process sandbox, migrated test database, users in two
 * teams) plus the request services' dependencies wired to it, the short-term signing role, and a
 * webhook receiver on 127.0.0.1. Never imported by product code.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { createKeysTestEnv, issueInput, recordingAudit } from "@/tests/support/keys-env";
import type { NotifyDeps } from "@/lib/notifications/service";
import { type KeyPolicy, policyValues } from "@/lib/policy/schema";
import { getPolicy, updatePolicy } from "@/lib/policy/service";
import { ensureShortTermRole } from "@/lib/shortterm/bootstrap";
import type { ShortTermDeps } from "@/lib/shortterm/service";
import { deliverDue, type WebhookDeps } from "@/lib/webhooks/deliver";
import { systemResolver, type TargetPolicy } from "@/lib/webhooks/transport";
import type { RequestDeps } from "@/lib/requests/types";

export async function createRequestsTestEnv() {
  const env = await createKeysTestEnv();
  const role = await ensureShortTermRole({ iam: env.aws.iam, sts: env.aws.sts });
  const now = () => env.deps.now();
  const notifyErrors: unknown[] = [];
  const background: Promise<unknown>[] = [];
  // The receivers below listen on 127.0.0.1, which the webhook refuses unless allow-listed, as an
  // admin would with WEBHOOK_ALLOWED_HOSTS for a receiver on the console's own machine.
  const webhook: WebhookDeps = { db: env.db, now, maxAttempts: 3, retryBaseMs: 30_000, timeoutMs: 2_000, allowedHosts: ["127.0.0.1"] };
  const notifyDeps: NotifyDeps = {
    db: env.db,
    now,
    appUrl: "https://keys.example.com",
    // As the app does: delivery starts in the background, never awaited by the action.
    onWebhookQueued: () => void background.push(deliverDue(webhook).catch((e: unknown) => notifyErrors.push(e))),
    onError: (error) => notifyErrors.push(error),
  };
  const shortTerm: ShortTermDeps = { db: env.db, iam: env.aws.iam, sts: env.aws.sts, now, roleArn: role.roleArn, maxHours: 12, regions: ["us-east-1", "us-west-2"] };
  const deps: RequestDeps = {
    db: env.db,
    now,
    configuredExtraPolicies: ["AmazonBedrockMarketplaceAccess"],
    shortTermCeilingMinutes: 720,
    regions: ["us-east-1", "us-west-2"],
    notify: notifyDeps,
    keys: () => env.deps,
    shortTerm: () => shortTerm,
  };
  return {
    ...env,
    deps,
    keyDeps: env.deps,
    shortTerm,
    webhook,
    /** The save-time webhook check with the same allow-list. */
    webhookPolicy: { allowedHosts: webhook.allowedHosts, resolve: systemResolver } satisfies TargetPolicy,
    notifyErrors,
    /** Wait for the background deliveries the actions started. */
    settle: async () => {
      await Promise.all(background.splice(0));
    },
    audit: recordingAudit,
    /** Save the policy with some values changed, as the admin (the version is read first). */
    async setPolicy(values: Partial<Omit<KeyPolicy, "version" | "updatedAt" | "updatedByEmail">>) {
      const current = await getPolicy(env.db, deps.configuredExtraPolicies);
      const admin = await env.actor(env.users.admin);
      await updatePolicy(env.db, admin, { version: current.version, ...policyValues(current), ...values }, { configuredExtraPolicies: deps.configuredExtraPolicies, shortTermCeilingMinutes: 720 }, recordingAudit());
    },
    /** Input for issueLongTermKey (defaults: dev-a's key in Payments, 30 days). */
    issueInput: (overrides: Record<string, unknown> = {}) => issueInput(env, overrides),
    /** Put the sandbox clock back (other tests in the file expect real time). */
    resetSandboxClock: () => fetch(`${env.sandbox.url}/_sandbox/clock`, { method: "POST", body: JSON.stringify({ offsetSeconds: 0 }), headers: { "content-type": "application/json" } }),
  };
}

export type RequestsTestEnv = Awaited<ReturnType<typeof createRequestsTestEnv>>;

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1 that answers with the given statuses in turn (then 200). */
export async function startReceiver(statuses: number[] = []) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.statusCode = statuses.shift() ?? 200;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/console`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A URL where nothing listens: a port that was just free. */
export async function deadUrl(): Promise<string> {
  const r = await startReceiver();
  await r.close();
  return r.url;
}
