import { z } from "zod";
import { idSchema } from "./schemas";

/** The offboarding dialog's choices (shared by the dialog and its action). Open requests are always cancelled. */
export const offboardSchema = z.object({
  id: idSchema,
  disableKeys: z.boolean(),
  revokeShortTerm: z.boolean(),
  /** "" or absent: the keys keep their owner. */
  newOwnerId: z.preprocess((v) => (v === "" || v === undefined ? null : v), idSchema.nullable()),
});
export type OffboardFormInput = z.input<typeof offboardSchema>;
