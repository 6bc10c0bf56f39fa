import { ActionError } from "@/lib/actions/errors";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { KeyActor } from "./types";

/**
 * Which keys a person may see and change, as query conditions. Applied inside every query and
 * every lookup by id, so a key outside the scope is indistinguishable from one that does not
 * exist ("not found"), never "forbidden".
 */

const NOTHING: Prisma.ApiKeyWhereInput = { id: { in: [] } };

/** Read: admin all; lead the teams they lead plus their own keys; developer their own keys. */
export function keyReadScope(actor: Pick<KeyActor, "id" | "role" | "ledTeamIds">): Prisma.ApiKeyWhereInput {
  switch (actor.role) {
    case "admin":
      return {};
    case "lead":
      return { OR: [{ teamId: { in: actor.ledTeamIds } }, { ownerId: actor.id }] };
    case "developer":
      return { ownerId: actor.id };
    default:
      return NOTHING;
  }
}

/** Disable / re-enable: admin any key; lead the keys of teams they lead. */
export function keyStatusScope(actor: Pick<KeyActor, "role" | "ledTeamIds">): Prisma.ApiKeyWhereInput {
  if (actor.role === "admin") return {};
  if (actor.role === "lead") return { teamId: { in: actor.ledTeamIds } };
  return NOTHING;
}

/** Issue, reset, delete, adopt: admins only. */
export function keyAdminScope(actor: Pick<KeyActor, "role">): Prisma.ApiKeyWhereInput {
  return actor.role === "admin" ? {} : NOTHING;
}

/** Only keys that exist (not mid-issuance, not deleted); "gone" keys stay visible with their state. */
export const VISIBLE_STATES = ["present", "gone", "deleted"];

export const keyRowSelect = {
  id: true,
  credentialId: true,
  accountId: true,
  iamUserName: true,
  name: true,
  purpose: true,
  ownerId: true,
  teamId: true,
  managed: true,
  consoleUser: true,
  status: true,
  state: true,
  awsCreatedAt: true,
  expiresAt: true,
  settings: true,
  lastUsedAt: true,
} as const satisfies Prisma.ApiKeySelect;

export type KeyRow = Prisma.ApiKeyGetPayload<{ select: typeof keyRowSelect }>;

/** Look a key up by id within a scope; anything else is "not found". */
export async function findKeyInScope(db: PrismaClient, keyId: string, scope: Prisma.ApiKeyWhereInput): Promise<KeyRow> {
  const key = await db.apiKey.findFirst({
    where: { AND: [{ id: keyId }, { state: { in: VISIBLE_STATES } }, scope] },
    select: keyRowSelect,
  });
  if (!key) throw new ActionError("notFound");
  return key;
}
