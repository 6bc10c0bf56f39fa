import "server-only";
import { accountAccess } from "@/lib/accounts/deps";
import { awsClients } from "@/lib/aws/clients";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import type { MemberSigning, ShortTermDeps } from "./service";

async function memberSigning(where: { id?: string; signingRoleArn?: { not: null } }): Promise<MemberSigning[]> {
  const access = accountAccess();
  const own = await access.ensureDefault().catch(() => null);
  const rows = await db().awsAccount.findMany({ where: { ...where, status: "active", roleArn: { not: null }, ...(own ? { NOT: { id: own } } : {}) } });
  return rows.map((a) => {
    const clients = access.clientsFor(a);
    return { id: a.id, name: a.name, iam: clients.iam, sts: clients.sts, signingRoleArn: a.signingRoleArn };
  });
}

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
    accountFor: async (accountId) => (await memberSigning({ id: accountId }))[0] ?? null,
    signingAccounts: () => memberSigning({ signingRoleArn: { not: null } }),
  };
}
