import "server-only";
import { awsClients } from "@/lib/aws/clients";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import type { ShortTermDeps } from "./service";

export function shortTermDeps(): ShortTermDeps {
  const c = config();
  const aws = awsClients();
  return {
    db: db(),
    iam: aws.iam,
    sts: aws.sts,
    now: () => new Date(),
    roleArn: c.SHORT_TERM_ROLE_ARN,
    maxHours: c.SHORT_TERM_MAX_HOURS,
    regions: c.BEDROCK_REGIONS,
  };
}
