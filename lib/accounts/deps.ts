import "server-only";
import { awsClients } from "@/lib/aws/clients";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { type AccountAccess, createAccountAccess } from "./access";
import type { AccountsDeps } from "./service";

const g = globalThis as unknown as { __accountAccess?: AccountAccess };

/** The app's account access: one per process, so member-role credentials are cached across requests and jobs. */
export function accountAccess(): AccountAccess {
  if (!g.__accountAccess) {
    const c = config();
    g.__accountAccess = createAccountAccess({
      db: db(),
      own: awsClients(),
      clientOptions: { region: c.AWS_REGION, ...(c.AWS_ENDPOINT_URL ? { endpoint: c.AWS_ENDPOINT_URL } : {}), maxAttempts: c.AWS_MAX_ATTEMPTS },
    });
  }
  return g.__accountAccess;
}

export function accountsDeps(): AccountsDeps {
  return { db: db(), access: accountAccess(), now: () => new Date(), defaultRegions: config().BEDROCK_REGIONS };
}
