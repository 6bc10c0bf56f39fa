import { z } from "zod";

/** The SMTP settings form (shared by the form and its action). */

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());

export const TLS_MODES = ["none", "starttls", "tls"] as const;
export type TlsMode = (typeof TLS_MODES)[number];

export const mailSettingsSchema = z.object({
  version: z.coerce.number().int().min(0),
  /** Empty turns e-mail off (nothing is queued). */
  host: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .max(253)
      // A host name or an IP literal, nothing else (no scheme, no port, no path).
      .refine((s) => /^[A-Za-z0-9.-]+$|^\[?[0-9A-Fa-f:.]+\]?$/.test(s), { message: "field.smtpHost" })
      .optional(),
  ),
  port: z.coerce.number().int().min(1).max(65535),
  tlsMode: z.enum(TLS_MODES),
  username: z.preprocess(emptyToUndefined, z.string().trim().max(320).optional()),
  /** Empty keeps the stored password. */
  password: z.preprocess(emptyToUndefined, z.string().max(512).optional()),
  clearPassword: checkbox,
  fromAddress: z.string().trim().max(320).pipe(z.email()),
});

export type MailSettingsInput = z.output<typeof mailSettingsSchema>;
