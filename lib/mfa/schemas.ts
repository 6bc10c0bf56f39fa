import { z } from "zod";

/** A code from the app (6 digits) or a recovery code (16 letters and digits, dashes optional). */
export const mfaCodeSchema = z.object({ code: z.string().trim().min(1).max(64) });
export const mfaResetSchema = z.object({ id: z.string().min(1).max(64) });
