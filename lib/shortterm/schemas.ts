import { z } from "zod";

/** The short-term key form. The server also checks the region list and SHORT_TERM_MAX_HOURS. */
export const generateShortTermSchema = z.object({
  region: z.string().trim().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { message: "field.choice" }),
  /** 5 minutes to 12 hours (AWS's maximum for a short-term key). */
  expiresInMinutes: z.coerce.number().int().min(5).max(720),
  /** A registered member account (issue 14); empty: the console's own account. */
  accountId: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().regex(/^\d{12}$/, { message: "field.accountId" }).optional()),
});

export const revokeShortTermSchema = z.object({ userId: z.string().trim().min(1).max(64) });
