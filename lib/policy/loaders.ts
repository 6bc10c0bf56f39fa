import "server-only";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { catalogueForRegion } from "@/lib/keys/catalogue";
import { ensureLiveCatalogue } from "@/lib/models/live";
import { listDeliveries } from "@/lib/webhooks/queries";
import { getWebhookSettings } from "@/lib/webhooks/settings";
import { getMailSettings } from "@/lib/mail/settings";
import { getTrailSettings } from "@/lib/usage/trail-settings";
import { getPolicy } from "./service";

/** /settings (admins): the policy form, the webhook form and the delivery log. */
export async function loadSettingsPage(searchParams: Record<string, string | string[] | undefined>) {
  const user = await requireUser();
  if (!can(user.role, "policy.manage")) notFound();
  const c = config();
  const raw = Array.isArray(searchParams.page) ? searchParams.page[0] : searchParams.page;
  const page = Number.parseInt(raw ?? "1", 10);
  await ensureLiveCatalogue(db());
  const [policy, webhook, deliveries, usageTrail, mail] = await Promise.all([
    getPolicy(db(), c.ALLOWED_EXTRA_POLICIES),
    can(user.role, "notifications.webhook") ? getWebhookSettings(db()) : Promise.resolve(null),
    can(user.role, "notifications.webhook") ? listDeliveries(db(), Number.isFinite(page) ? page : 1) : Promise.resolve(null),
    can(user.role, "accounts.manage") ? getTrailSettings(db()) : Promise.resolve(null),
    can(user.role, "notifications.webhook") ? getMailSettings(db()) : Promise.resolve(null),
  ]);
  return {
    policy,
    usageTrail,
    webhook,
    mail,
    deliveries,
    options: {
      models: catalogueForRegion(c.AWS_REGION),
      extraPolicies: c.ALLOWED_EXTRA_POLICIES,
      shortTermCeilingMinutes: c.SHORT_TERM_MAX_HOURS * 60,
      webhookMaxAttempts: c.WEBHOOK_MAX_ATTEMPTS,
      mailMaxAttempts: c.MAIL_MAX_ATTEMPTS,
    },
  };
}
