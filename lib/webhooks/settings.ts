import { ActionError } from "@/lib/actions/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AuditSink } from "@/lib/keys/types";
import { type WebhookInput, webhookHost } from "./schema";
import { checkWebhookUrl, type TargetPolicy } from "./transport";

const WEBHOOK_ID = "org";
export const WEBHOOK_TARGET = "webhook";

/** What the settings page may show: never the secret, only whether one is set. */
export interface WebhookSettings {
  version: number;
  url: string | null;
  hasSecret: boolean;
  updatedAt: string | null;
  updatedByEmail: string | null;
}

export async function getWebhookSettings(db: PrismaClient): Promise<WebhookSettings> {
  const row = await db.webhookConfig.findUnique({ where: { id: WEBHOOK_ID } });
  if (!row) return { version: 0, url: null, hasSecret: false, updatedAt: null, updatedByEmail: null };
  return { version: row.version, url: row.url, hasSecret: Boolean(row.secret), updatedAt: row.updatedAt.toISOString(), updatedByEmail: row.updatedByEmail };
}

/** For the delivery worker only (server side): the URL and the signing secret. */
export async function webhookTarget(db: PrismaClient): Promise<{ url: string; secret: string | null } | null> {
  const row = await db.webhookConfig.findUnique({ where: { id: WEBHOOK_ID }, select: { url: true, secret: true } });
  return row?.url ? { url: row.url, secret: row.secret } : null;
}

/**
 * Save the webhook settings (optimistic concurrency on version, like the policy). The audit entry
 * names the receiving host and whether a secret is set — never the full URL, since chat tools put
 * a token in it, and never the secret.
 */
export async function updateWebhookSettings(
  db: PrismaClient,
  actor: { id: string; email: string },
  input: WebhookInput,
  audit: AuditSink,
  policy: TargetPolicy,
): Promise<WebhookSettings> {
  audit.target({ type: WEBHOOK_TARGET, id: WEBHOOK_ID, label: "Outgoing webhook" });
  // A clear error now; the delivery checks again on the connection itself (DNS may change).
  const refused = input.url ? await checkWebhookUrl(input.url, policy) : null;
  if (refused) {
    const code = refused === "scheme" ? "webhooks.httpsRequired" : "webhooks.addressNotAllowed";
    throw new ActionError(code, {}, { url: { code } });
  }
  const before = await db.webhookConfig.findUnique({ where: { id: WEBHOOK_ID } });
  const beforeVersion = before?.version ?? 0;
  if (input.version !== beforeVersion) throw new ActionError("conflict");
  const secret = input.clearSecret ? null : (input.secret ?? before?.secret ?? null);
  const data = { url: input.url ?? null, secret, updatedById: actor.id, updatedByEmail: actor.email };
  if (!before) {
    try {
      await db.webhookConfig.create({ data: { id: WEBHOOK_ID, version: 1, ...data } });
    } catch (error) {
      if ((error as { code?: string }).code === "P2002") throw new ActionError("conflict");
      throw error;
    }
  } else {
    const saved = await db.webhookConfig.updateMany({ where: { id: WEBHOOK_ID, version: beforeVersion }, data: { ...data, version: beforeVersion + 1 } });
    if (saved.count !== 1) throw new ActionError("conflict");
  }
  audit.detail({
    before: { enabled: Boolean(before?.url), host: webhookHost(before?.url), signed: Boolean(before?.secret) },
    after: { enabled: Boolean(data.url), host: webhookHost(data.url), signed: Boolean(secret) },
    secretChanged: Boolean(input.secret) || (input.clearSecret && Boolean(before?.secret)),
  });
  return getWebhookSettings(db);
}
