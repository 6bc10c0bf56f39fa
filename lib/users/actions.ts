"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/safe-action";
import {
  createTeamSchema,
  createUserSchema,
  resetPasswordSchema,
  teamIdSchema,
  updateTeamSchema,
  updateUserSchema,
  userIdSchema,
} from "./schemas";
import {
  createTeam as createTeamService,
  createUser as createUserService,
  deactivateUser as deactivateUserService,
  deleteTeam as deleteTeamService,
  reactivateUser as reactivateUserService,
  resetUserPassword,
  updateTeam as updateTeamService,
  updateUser as updateUserService,
} from "./service";

// Thin wrappers: defineAction validates, authenticates, authorizes and audits; the services act.
// Each revalidates /users so the page the admin is on shows the change.

function done<T>(value: T): T {
  revalidatePath("/users");
  return value;
}

export const createUser = defineAction({
  name: "users.create",
  permission: "users.manage",
  schema: createUserSchema,
  run: async (input, ctx) => done(await createUserService(ctx.db, input, ctx)),
});

export const updateUser = defineAction({
  name: "users.update",
  permission: "users.manage",
  schema: updateUserSchema,
  run: async (input, ctx) => done(await updateUserService(ctx.db, ctx.user, input, ctx)),
});

export const deactivateUser = defineAction({
  name: "users.deactivate",
  permission: "users.manage",
  schema: userIdSchema,
  run: async ({ id }, ctx) => done(await deactivateUserService(ctx.db, ctx.user, id, ctx)),
});

export const reactivateUser = defineAction({
  name: "users.reactivate",
  permission: "users.manage",
  schema: userIdSchema,
  run: async ({ id }, ctx) => done(await reactivateUserService(ctx.db, id, ctx)),
});

export const resetPassword = defineAction({
  name: "users.reset_password",
  permission: "users.manage",
  schema: resetPasswordSchema,
  run: async (input, ctx) => done(await resetUserPassword(ctx.db, input, ctx)),
});

export const createTeam = defineAction({
  name: "teams.create",
  permission: "teams.manage",
  schema: createTeamSchema,
  run: async (input, ctx) => done(await createTeamService(ctx.db, input, ctx)),
});

export const updateTeam = defineAction({
  name: "teams.update",
  permission: "teams.manage",
  schema: updateTeamSchema,
  run: async (input, ctx) => done(await updateTeamService(ctx.db, input, ctx)),
});

export const deleteTeam = defineAction({
  name: "teams.delete",
  permission: "teams.manage",
  schema: teamIdSchema,
  run: async ({ id }, ctx) => done(await deleteTeamService(ctx.db, id, ctx)),
});
