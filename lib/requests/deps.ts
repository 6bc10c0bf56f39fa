import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { keyDeps } from "@/lib/keys/deps";
import { log } from "@/lib/log";
import type { NotifyDeps } from "@/lib/notifications/service";
import { shortTermDeps } from "@/lib/shortterm/deps";
import { kickWebhookWorker } from "@/lib/webhooks/worker";
import type { RequestDeps } from "./types";

/** Notifications as the app sends them: webhook deliveries start in the background at once. */
export function notifyDeps(): NotifyDeps {
  const c = config();
  return {
    db: db(),
    now: () => new Date(),
    ...(c.AUTH_URL ? { appUrl: c.AUTH_URL } : {}),
    onWebhookQueued: kickWebhookWorker,
    onError: (err, kind) => log().error({ err, kind }, "notification failed; the action itself went through"),
  };
}

export function requestDeps(): RequestDeps {
  const c = config();
  return {
    db: db(),
    now: () => new Date(),
    configuredExtraPolicies: c.ALLOWED_EXTRA_POLICIES,
    shortTermCeilingMinutes: c.SHORT_TERM_MAX_HOURS * 60,
    // The default region first: it is what the pick-up form preselects.
    regions: [c.AWS_REGION, ...c.BEDROCK_REGIONS.filter((r) => r !== c.AWS_REGION)],
    notify: notifyDeps(),
    keys: keyDeps,
    shortTerm: shortTermDeps,
  };
}
