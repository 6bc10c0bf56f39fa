import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { type AwsClientOptions, type AwsClients, createAwsClients } from "@/lib/aws/clients";
import { createCloudTrailClient } from "@/lib/aws/cloudtrail";
import { ActionError } from "@/lib/actions/errors";
import { AwsServiceError } from "@/lib/aws/errors";
import { assumeRole, getCallerIdentity } from "@/lib/aws/sts";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * How the console reaches each AWS account (issue 14). The default account is the one the
 * console's own credentials (the SDK's default chain) belong to; every other account is reached
 * by assuming its member role with its ExternalId, from the console's own credentials. Clients
 * are cached per account and role; temporary credentials are refreshed five minutes before they
 * expire, so a long refresh or sync never runs on expired ones.
 */

export const CONSOLE_SESSION_NAME = "bedrock-key-console";
/** One hour: AssumeRole's default and every role's minimum maximum session duration. */
const SESSION_SECONDS = 3600;
const REFRESH_BEFORE_MS = 5 * 60_000;

export interface AccountRef {
  id: string;
  roleArn: string | null;
  externalId: string | null;
}

export interface AccountAccess {
  /** The console's own account, registered on first use (single-account installs need nothing). */
  ensureDefault(): Promise<string>;
  /** Clients acting in the account: the console's own for the default account, the member role's otherwise. */
  clientsFor(account: AccountRef): AwsClients;
  /** IAM for a key's account (null: a row from before accounts, i.e. the default account). */
  iamFor(accountId: string | null): Promise<IAMClient>;
  /** CloudTrail of a member account in one region (the usage sync; paced by the caller, no SDK retries). */
  cloudTrailFor(account: AccountRef & { roleArn: string }, region: string): CloudTrailClient;
  /** The member role's credentials (undefined: the console's own, the SDK's default chain), for clients made elsewhere (the trail's S3 reader). */
  credentialsOf(account: AccountRef): AwsCredentialIdentityProvider | undefined;
}

/**
 * Credentials of the member role, assumed on first use and again before they expire. Errors are
 * AssumeRole's own (AccessDenied for a trust policy or ExternalId that does not match), so the
 * account's error state names the call that failed, not the IAM call that needed the credentials.
 */
export function memberRoleCredentials(ownClients: AwsClients, roleArn: string, externalId: string | null): AwsCredentialIdentityProvider {
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    if (current?.expiration && current.expiration.getTime() - Date.now() > REFRESH_BEFORE_MS) return current;
    pending ??= assumeRole(ownClients.sts, {
      roleArn,
      sessionName: CONSOLE_SESSION_NAME,
      ...(externalId ? { externalId } : {}),
      durationSeconds: SESSION_SECONDS,
    })
      .catch((error: unknown) => {
        // AWS answers AccessDenied both for a trust policy that does not name the console and for
        // a wrong or missing ExternalId (it never says which), and for a role that does not exist.
        if (error instanceof AwsServiceError && error.kind === "AccessDenied") {
          throw new AwsServiceError("AccessDenied", error.awsCode, "AssumeRole", "accounts.assumeDenied", { role: roleArn });
        }
        throw error;
      })
      .then((s) => {
        current = { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken, expiration: s.expiration };
        return current;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

export function createAccountAccess(options: { db: PrismaClient; own: AwsClients; clientOptions: Omit<AwsClientOptions, "credentials"> }): AccountAccess {
  const cache = new Map<string, AwsClients>();
  const trails = new Map<string, CloudTrailClient>();
  const credentials = new Map<string, AwsCredentialIdentityProvider>();
  /** One provider per account and role: its clients (IAM, STS, CloudTrail per region) share one session. */
  const credentialsFor = (account: AccountRef & { roleArn: string }) => {
    const cacheKey = `${account.id}|${account.roleArn}|${account.externalId ?? ""}`;
    let provider = credentials.get(cacheKey);
    if (!provider) {
      provider = memberRoleCredentials(options.own, account.roleArn, account.externalId);
      credentials.set(cacheKey, provider);
    }
    return { cacheKey, provider };
  };
  let defaultId: string | undefined;
  const access: AccountAccess = {
    async ensureDefault() {
      if (defaultId) return defaultId;
      defaultId = await registerDefaultAccount(options.db, options.own);
      return defaultId;
    },
    clientsFor(account) {
      if (!account.roleArn) return options.own;
      const cacheKey = `${account.id}|${account.roleArn}|${account.externalId ?? ""}`;
      let clients = cache.get(cacheKey);
      if (!clients) {
        // A changed role or ExternalId gets new clients; the old entry of this account goes.
        for (const k of cache.keys()) if (k.startsWith(`${account.id}|`)) cache.delete(k);
        clients = createAwsClients({ ...options.clientOptions, credentials: credentialsFor({ ...account, roleArn: account.roleArn }).provider });
        cache.set(cacheKey, clients);
      }
      return clients;
    },
    cloudTrailFor(account, region) {
      const { cacheKey, provider } = credentialsFor(account);
      const key = `${cacheKey}|${region}`;
      let client = trails.get(key);
      if (!client) {
        client = createCloudTrailClient({ region, ...(options.clientOptions.endpoint ? { endpoint: options.clientOptions.endpoint } : {}), credentials: provider });
        trails.set(key, client);
      }
      return client;
    },
    credentialsOf(account) {
      return account.roleArn ? credentialsFor({ ...account, roleArn: account.roleArn }).provider : undefined;
    },
    async iamFor(accountId) {
      const own = await access.ensureDefault();
      if (accountId === null || accountId === own) return options.own.iam;
      const account = await options.db.awsAccount.findUnique({ where: { id: accountId }, select: { id: true, roleArn: true, externalId: true } });
      // A key's account row cannot be deleted while keys point at it (onDelete: Restrict).
      // Not an AWS "not found": the key itself may well exist; the console just cannot reach it.
      if (!account) throw new ActionError("accounts.unknown", { account: accountId });
      return access.clientsFor(account).iam;
    },
  };
  return access;
}

/**
 * Registers the account of the console's own credentials as the default account (once), and
 * files every key recorded before accounts existed under it. Safe to run on several instances at
 * once: the insert is idempotent on the account id.
 */
export async function registerDefaultAccount(db: PrismaClient, own: AwsClients): Promise<string> {
  const existing = await db.awsAccount.findFirst({ where: { source: "default" }, select: { id: true } });
  if (existing) {
    await db.apiKey.updateMany({ where: { accountId: null }, data: { accountId: existing.id } });
    return existing.id;
  }
  const { account } = await getCallerIdentity(own.sts);
  if (!/^\d{12}$/.test(account)) throw new Error(`GetCallerIdentity returned no account id (${account || "empty"})`);
  await db.awsAccount.upsert({
    where: { id: account },
    create: { id: account, name: `Account ${account}`, source: "default", lastCheckedAt: new Date() },
    update: { source: "default", roleArn: null },
  });
  await db.apiKey.updateMany({ where: { accountId: null }, data: { accountId: account } });
  return account;
}
