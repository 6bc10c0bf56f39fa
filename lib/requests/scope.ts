import type { Prisma } from "@/lib/generated/prisma/client";
import type { RequestActor } from "./types";

/**
 * Which requests a person may see and decide, as query conditions applied in every lookup, so a
 * request outside the scope is "not found" rather than "forbidden".
 */

const NOTHING: Prisma.KeyRequestWhereInput = { id: { in: [] } };

/** See: your own requests; a lead also those of the teams they lead; an admin all. */
export function requestReadScope(actor: Pick<RequestActor, "id" | "role" | "ledTeamIds">): Prisma.KeyRequestWhereInput {
  switch (actor.role) {
    case "admin":
      return {};
    case "lead":
      return { OR: [{ requesterId: actor.id }, { teamId: { in: actor.ledTeamIds } }] };
    case "developer":
      return { requesterId: actor.id };
    default:
      return NOTHING;
  }
}

/** Decide: a lead the requests of teams they lead, an admin any. (Never one's own: checked with its own message.) */
export function requestDecideScope(actor: Pick<RequestActor, "role" | "ledTeamIds">): Prisma.KeyRequestWhereInput {
  if (actor.role === "admin") return {};
  if (actor.role === "lead") return { teamId: { in: actor.ledTeamIds } };
  return NOTHING;
}
