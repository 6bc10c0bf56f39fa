"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ActionError } from "@/lib/actions/errors";
import { defineAction } from "@/lib/actions/safe-action";
import { config } from "@/lib/config";
import { enqueueWebhook } from "./deliver";
import { webhookFormSchema, webhookHost } from "./schema";
import { updateWebhookSettings, WEBHOOK_TARGET } from "./settings";
import { systemResolver } from "./transport";
import { kickWebhookWorker } from "./worker";

/** Configure the outgoing webhook (admins). Audited as webhook.configure — host and "signed", never the URL's path or the secret. */
export const configureWebhook = defineAction({
  name: "webhook.configure",
  permission: "notifications.webhook",
  schema: webhookFormSchema,
  run: async (input, ctx) => {
    const settings = await updateWebhookSettings(ctx.db, ctx.user, input, ctx, { allowedHosts: config().WEBHOOK_ALLOWED_HOSTS, resolve: systemResolver });
    revalidatePath("/settings");
    return { version: settings.version, enabled: Boolean(settings.url), hasSecret: settings.hasSecret };
  },
});

/** Queue a test event, so an admin can see a delivery (and its signature) arrive without waiting for a real one. */
export const sendTestWebhook = defineAction({
  name: "webhook.test",
  permission: "notifications.webhook",
  schema: z.object({}),
  run: async (_input, ctx) => {
    ctx.target({ type: WEBHOOK_TARGET, id: "org", label: "Outgoing webhook" });
    const now = new Date();
    const appUrl = config().AUTH_URL;
    const id = await enqueueWebhook(
      ctx.db,
      { event: "webhook.test", text: `Test event from Bedrock Key Console, sent by ${ctx.user.email}.${appUrl ? ` ${appUrl}` : ""}`, data: { sentBy: ctx.user.email } },
      now,
    );
    if (!id) throw new ActionError("webhooks.notConfigured");
    const target = await ctx.db.webhookDelivery.findUniqueOrThrow({ where: { id }, select: { url: true } });
    ctx.detail({ deliveryId: id, host: webhookHost(target.url) });
    kickWebhookWorker();
    revalidatePath("/settings");
    return { deliveryId: id };
  },
});
