"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/safe-action";
import { awsClients } from "@/lib/aws/clients";
import { accountsDeps } from "./deps";
import { discoverAccounts } from "./discovery";
import { accountIdSchema, accountStatusSchema, addAccountSchema, discoverSchema, updateAccountSchema } from "./schema";
import { addAccount, checkAccount, setAccountStatus, updateAccount } from "./service";

/** Register a member account (admins). Nothing is stored unless the console can assume its role there. */
export const addAccountAction = defineAction({
  name: "accounts.add",
  permission: "accounts.manage",
  schema: addAccountSchema,
  run: async (input, ctx) => {
    const result = await addAccount(accountsDeps(), input, ctx);
    revalidatePath("/accounts");
    return result;
  },
});

export const updateAccountAction = defineAction({
  name: "accounts.update",
  permission: "accounts.manage",
  schema: updateAccountSchema,
  run: async (input, ctx) => {
    const result = await updateAccount(accountsDeps(), input, ctx);
    revalidatePath("/accounts");
    return result;
  },
});

/** Pause (no refresh, sync or new keys; existing keys untouched) or resume an account. */
export const setAccountStatusAction = defineAction({
  name: "accounts.status",
  permission: "accounts.manage",
  schema: accountStatusSchema,
  run: async ({ accountId, status }, ctx) => {
    const result = await setAccountStatus(accountsDeps(), accountId, status, ctx);
    revalidatePath("/accounts");
    return result;
  },
});

export const checkAccountAction = defineAction({
  name: "accounts.check",
  permission: "accounts.manage",
  schema: accountIdSchema,
  run: async ({ accountId }, ctx) => {
    try {
      return await checkAccount(accountsDeps(), accountId, ctx);
    } finally {
      revalidatePath("/accounts");
    }
  },
});

/** Register the organisation's accounts (AWS Organizations ListAccounts from the console's own account). */
export const discoverAccountsAction = defineAction({
  name: "accounts.discover",
  permission: "accounts.manage",
  schema: discoverSchema,
  run: async (input, ctx) => {
    try {
      return await discoverAccounts({ ...accountsDeps(), organizations: awsClients().organizations }, input, ctx);
    } finally {
      revalidatePath("/accounts");
    }
  },
});
