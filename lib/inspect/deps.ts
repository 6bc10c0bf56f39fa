import "server-only";
import { awsClients } from "@/lib/aws/clients";
import { getAccessKeyInfo, getCallerIdentity } from "@/lib/aws/sts";
import { db } from "@/lib/db";
import type { InspectDeps } from "./service";

// The console's account never changes while it runs: ask STS once.
let account: Promise<string> | undefined;

export function inspectDeps(): InspectDeps {
  return {
    db: db(),
    now: () => new Date(),
    accountId: () => {
      account ??= getCallerIdentity(awsClients().sts).then((id) => id.account);
      account.catch(() => (account = undefined)); // a failure is not cached
      return account;
    },
    accountName: async (id) => (await db().awsAccount.findUnique({ where: { id }, select: { name: true } }))?.name ?? null,
    accessKeyAccount: (accessKeyId) => getAccessKeyInfo(awsClients().sts, accessKeyId),
  };
}
