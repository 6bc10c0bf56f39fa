import "server-only";
import { accountAccess } from "@/lib/accounts/deps";
import { createRegionalClients, type RegionalClients } from "@/lib/aws/bedrock";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import type { ModelsDeps } from "./service";

// Per bundle, like accountAccess(): the clients hold that bundle's member-role credentials.
let clients: RegionalClients | undefined;

export function regionalClients(): RegionalClients {
  if (!clients) {
    const c = config();
    clients = createRegionalClients(accountAccess(), { ...(c.AWS_ENDPOINT_URL ? { endpoint: c.AWS_ENDPOINT_URL } : {}), maxAttempts: c.AWS_MAX_ATTEMPTS });
  }
  return clients;
}

export function modelsDeps(): ModelsDeps {
  return { db: db(), access: accountAccess(), clients: regionalClients(), now: () => new Date(), defaultRegions: config().BEDROCK_REGIONS };
}
