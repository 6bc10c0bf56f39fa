"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ActionError } from "@/lib/actions/errors";
import { defineAction } from "@/lib/actions/safe-action";
import { config } from "@/lib/config";
import { deriveMailKey } from "./crypto";
import { mailSettingsSchema } from "./schema";
import { describeMailError, sendMail } from "./send";
import { MAIL_TARGET, smtpTarget, updateMailSettings } from "./settings";

/** Save the SMTP settings (admins). Audited as mail.configure — never the password. */
export const configureMail = defineAction({
  name: "mail.configure",
  permission: "notifications.webhook",
  schema: mailSettingsSchema,
  run: async (input, ctx) => {
    const settings = await updateMailSettings(ctx.db, ctx.user, input, ctx, deriveMailKey(config()));
    revalidatePath("/settings");
    return { version: settings.version, enabled: settings.enabled, hasPassword: settings.hasPassword };
  },
});

/**
 * Send a test e-mail to the admin now, through the saved settings, and say what the server
 * answered: unlike real mail it does not go through the outbox, since the point is to see at
 * once whether the settings work.
 */
export const sendTestMail = defineAction({
  name: "mail.test",
  permission: "notifications.webhook",
  schema: z.object({}),
  run: async (_input, ctx) => {
    ctx.target({ type: MAIL_TARGET, id: "org", label: "E-mail (SMTP)" });
    const target = await smtpTarget(ctx.db, deriveMailKey(config()));
    if (!target) throw new ActionError("mail.notConfigured");
    if (target.username && target.password === null) throw new ActionError("mail.passwordUnreadable");
    ctx.detail({ to: ctx.user.email, host: target.host, port: target.port });
    try {
      await sendMail(target, { to: ctx.user.email, subject: "Bedrock Key Console: test e-mail", text: `This is a test e-mail from Bedrock Key Console, sent by ${ctx.user.email}. The SMTP settings work.` }, { timeoutMs: 15_000 });
    } catch (error) {
      const reason = describeMailError(error);
      ctx.detail({ error: reason });
      throw new ActionError("mail.testFailed", { reason });
    }
    return { to: ctx.user.email };
  },
});
