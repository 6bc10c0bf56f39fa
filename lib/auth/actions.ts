"use server";

import { appendAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { requestMeta } from "@/lib/http/request-meta";
import { signOut } from "./auth";
import { currentUser } from "./session";

/** Sign out and audit it. Anyone may sign themself out, so there is no permission gate. */
export async function signOutAction(): Promise<void> {
  const user = await currentUser();
  if (user) {
    await appendAudit(db(), {
      action: "auth.sign_out",
      result: "success",
      actorId: user.id,
      actorEmail: user.email,
      targetType: "user",
      targetId: user.id,
      targetLabel: user.email,
      ...(await requestMeta()),
    });
  }
  await signOut({ redirectTo: "/signin" });
}
