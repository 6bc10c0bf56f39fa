import "server-only";
import { accountAccess } from "@/lib/accounts/deps";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { regionalClients } from "@/lib/models/deps";
import type { LoggingDeps } from "./service";

export function loggingDeps(): LoggingDeps {
  return { db: db(), access: accountAccess(), clients: regionalClients(), now: () => new Date(), defaultRegions: config().BEDROCK_REGIONS };
}
