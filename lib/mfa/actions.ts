"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { config } from "@/lib/config";
import { mfaKeys } from "./keys";
import { mfaCodeSchema, mfaResetSchema } from "./schemas";
import { confirmEnrolment, disableOwnMfa, regenerateRecoveryCodes, resetMfa, startEnrolment } from "./service";

// Everyone manages their own two-step sign-in (profile.update); resetting someone else's is an
// admin's (users.manage). Each wrapper audits through defineAction — never a code or a secret.

export const startMfaEnrolment = defineAction({
  name: "mfa.enrol_start",
  permission: "profile.update",
  schema: z.object({}),
  run: async (_input, ctx) => startEnrolment(ctx.db, ctx.user, mfaKeys(), ctx),
});

export const confirmMfaEnrolment = defineAction({
  name: "mfa.enrol",
  permission: "profile.update",
  schema: mfaCodeSchema,
  // No revalidation here: the page would re-render as "on" and drop the recovery codes before they
  // are saved; the component refreshes once the person says they have them.
  run: async ({ code }, ctx) => confirmEnrolment(ctx.db, ctx.user, code, mfaKeys(), ctx),
});

export const regenerateMfaRecoveryCodes = defineAction({
  name: "mfa.recovery_codes",
  permission: "profile.update",
  schema: mfaCodeSchema,
  run: async ({ code }, ctx) => regenerateRecoveryCodes(ctx.db, ctx.user, code, mfaKeys(), ctx),
});

export const disableMfa = defineAction({
  name: "mfa.disable",
  permission: "profile.update",
  schema: mfaCodeSchema,
  run: async ({ code }, ctx) => {
    await disableOwnMfa(ctx.db, ctx.user, code, mfaKeys(), config().MFA_REQUIRED_FOR, ctx);
    revalidatePath("/account");
    return { disabled: true };
  },
});

export const resetUserMfa = defineAction({
  name: "mfa.reset",
  permission: "users.manage",
  schema: mfaResetSchema,
  run: async ({ id }, ctx) => {
    await resetMfa(ctx.db, ctx.user, id, ctx);
    revalidatePath("/users");
    return { reset: true };
  },
});
