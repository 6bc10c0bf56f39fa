import "server-only";
import { DescribeOrganizationCommand, ListAccountsCommand, type OrganizationsClient } from "@aws-sdk/client-organizations";
import { callAws } from "./errors";

/** AWS Organizations, read-only: which accounts the organisation has (for account discovery, issue 14). */

export interface OrgAccount {
  id: string;
  name: string;
  email: string;
  /** ACTIVE | SUSPENDED | PENDING_CLOSURE (AWS's `State`, or the older `Status`). */
  state: string;
}

export async function describeOrganization(client: OrganizationsClient): Promise<{ id: string; managementAccountId: string }> {
  const out = await callAws("organizations", "DescribeOrganization", () => client.send(new DescribeOrganizationCommand({})));
  return { id: out.Organization?.Id ?? "", managementAccountId: out.Organization?.MasterAccountId ?? "" };
}

/** Every account of the organisation, page by page (20 per page is AWS's maximum). */
export async function listOrganizationAccounts(client: OrganizationsClient): Promise<{ accounts: OrgAccount[]; calls: number }> {
  const accounts: OrgAccount[] = [];
  let calls = 0;
  let nextToken: string | undefined;
  do {
    const page = await callAws("organizations", "ListAccounts", () => client.send(new ListAccountsCommand({ MaxResults: 20, ...(nextToken ? { NextToken: nextToken } : {}) })));
    calls++;
    for (const a of page.Accounts ?? []) {
      if (!a.Id) continue;
      const state = (a as { State?: string }).State ?? a.Status ?? "ACTIVE";
      accounts.push({ id: a.Id, name: a.Name ?? a.Id, email: a.Email ?? "", state });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return { accounts, calls };
}
