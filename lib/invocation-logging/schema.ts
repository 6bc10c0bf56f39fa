import { z } from "zod";
import { ACCOUNT_ID } from "@/lib/accounts/schema";

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export const enableLoggingSchema = z.object({
  accountId: z.string().trim().regex(ACCOUNT_ID, { message: "field.accountId" }),
  region: z.string().trim().regex(REGION, { message: "field.regions" }),
  /** The admin confirmed adding CloudWatch Logs delivery to an S3-only configuration (S3 kept). */
  keepS3: z.boolean().default(false),
});
