import { z } from "zod";

/** The webhook settings form (shared by the form and its action). */

export const WEBHOOK_SECRET_MIN = 16;
export const WEBHOOK_SECRET_MAX = 256;
export const WEBHOOK_URL_MAX = 2000;

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());

export const webhookFormSchema = z.object({
  version: z.coerce.number().int().min(0),
  /** Empty turns the webhook off. http(s) only: the console POSTs JSON to it. */
  url: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .max(WEBHOOK_URL_MAX)
      .refine((s) => /^https?:\/\//i.test(s) && URL.canParse(s), { message: "field.webhookUrl" })
      .optional(),
  ),
  /** Empty keeps the current secret. */
  secret: z.preprocess(emptyToUndefined, z.string().min(WEBHOOK_SECRET_MIN).max(WEBHOOK_SECRET_MAX).optional()),
  clearSecret: checkbox,
});

export type WebhookInput = z.output<typeof webhookFormSchema>;

/** Where deliveries go, for logs and the audit: the host only, since chat webhook URLs carry a token in their path. */
export function webhookHost(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
