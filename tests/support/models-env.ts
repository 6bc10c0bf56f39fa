/**
 * Test-only: the keys test environment (sandbox, database) plus what the model catalogue and the
 * invocation-logging services need: account access and per-account regional clients on the sandbox.
 */
import { type AccountAccess, createAccountAccess } from "@/lib/accounts/access";
import { createRegionalClients, type RegionalClients } from "@/lib/aws/bedrock";
import { createKeysTestEnv } from "@/tests/support/keys-env";

export const OWN_ACCOUNT = "123456789012"; // the sandbox's account

export async function createRegionalTestEnv(defaultRegions: string[]) {
  const env = await createKeysTestEnv({ maxAttempts: 1 });
  const access: AccountAccess = createAccountAccess({ db: env.db, own: env.aws, clientOptions: { region: "us-east-1", endpoint: env.sandbox.url, maxAttempts: 1 } });
  const clients: RegionalClients = createRegionalClients(access, { endpoint: env.sandbox.url, maxAttempts: 1 });
  /** Clients on an endpoint that refuses connections: a region AWS cannot be reached in. */
  const offlineClients = () => createRegionalClients(access, { endpoint: "http://127.0.0.1:9", maxAttempts: 1 });
  const base = { db: env.db, access, clients, now: () => new Date(), defaultRegions };
  return { env, access, clients, offlineClients, base };
}
