import "server-only";
import { db } from "@/lib/db";
import { keyDeps } from "@/lib/keys/deps";
import { kickMailWorker } from "@/lib/mail/worker";
import { notifyDeps } from "@/lib/requests/deps";
import { shortTermDeps } from "@/lib/shortterm/deps";
import type { BudgetDeps } from "./evaluate";

/** The app's dependencies for budget evaluation. */
export function budgetDeps(): BudgetDeps {
  const st = shortTermDeps();
  const n = notifyDeps();
  return {
    db: db(),
    now: () => new Date(),
    keys: keyDeps(),
    shortTerm: st.roleArn ? st : null,
    notify: { ...(n.appUrl ? { appUrl: n.appUrl } : {}), ...(n.onWebhookQueued ? { onWebhookQueued: n.onWebhookQueued } : {}), ...(n.onError ? { onError: n.onError } : {}) },
    onMailQueued: kickMailWorker,
  };
}
