import { z } from "zod";
import { ROLES, type Role } from "@/lib/auth/permissions";

/**
 * Group → access, pure (no database): what a person's IdP groups grant. Used at every SSO
 * sign-in (lib/sso/service.ts) and by the settings page's form validation.
 */

/** One group's grant, with teams as ids (configured mappings are resolved from team names first). */
export interface GroupGrant {
  group: string;
  role: Role;
  teamIds: string[];
  ledTeamIds: string[];
}

export interface Access {
  role: Role;
  /** every team the person belongs to (led teams included) */
  teamIds: string[];
  ledTeamIds: string[];
  /** the person's groups that are mapped, for the audit entry */
  matchedGroups: string[];
}

/** Most privileged first, so a lower index wins. */
const rank = (role: Role) => ROLES.indexOf(role);

/**
 * The access a person's groups grant: the highest mapped role, the union of the mapped teams, and
 * the teams any of the groups leads. Null when no group is mapped: no access at all.
 */
export function resolveAccess(groups: readonly string[], grants: readonly GroupGrant[]): Access | null {
  const mine = new Set(groups);
  const matched = grants.filter((g) => mine.has(g.group));
  if (matched.length === 0) return null;
  const role = matched.map((g) => g.role).sort((a, b) => rank(a) - rank(b))[0]!;
  const led = new Set(matched.flatMap((g) => g.ledTeamIds));
  const teams = new Set([...matched.flatMap((g) => g.teamIds), ...led]);
  return { role, teamIds: [...teams].sort(), ledTeamIds: [...led].sort(), matchedGroups: matched.map((g) => g.group).sort() };
}

/**
 * The groups in an ID token's claims. Providers differ: an array of strings (Okta, Entra ID,
 * Keycloak's group mapper), a single string, or a nested claim such as Keycloak's
 * `realm_access.roles` (named with dots). Anything else counts as no groups.
 */
export function groupsFromClaims(claims: Record<string, unknown>, claimName: string): string[] {
  let value: unknown = claims[claimName];
  if (value === undefined && claimName.includes(".")) {
    value = claimName.split(".").reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), claims);
  }
  if (typeof value === "string") return value ? [value] : [];
  if (!Array.isArray(value)) return [];
  return [...new Set(value.filter((g): g is string => typeof g === "string" && g.length > 0 && g.length <= 256))];
}

/** Configured mappings (OIDC_GROUP_MAPPINGS) name teams; the database knows them by id. */
export function grantsFromConfig(
  mappings: readonly { group: string; role: Role; teams: string[]; leads: string[] }[],
  teamIdByName: ReadonlyMap<string, string>,
): { grants: GroupGrant[]; unknownTeams: string[] } {
  const unknown = new Set<string>();
  const ids = (names: string[]) =>
    names.flatMap((n) => {
      const id = teamIdByName.get(n);
      if (!id) unknown.add(n);
      return id ? [id] : [];
    });
  const grants = mappings.map((m) => ({ group: m.group, role: m.role, teamIds: ids(m.teams), ledTeamIds: ids(m.leads) }));
  return { grants, unknownTeams: [...unknown] };
}

const idList = z.array(z.string().min(1).max(64)).max(200);

/** The settings form's input: one mapping, added or edited. */
export const mappingFormSchema = z
  .object({
    id: z.string().min(1).max(64).optional(),
    group: z.string().trim().min(1).max(256),
    role: z.enum(ROLES),
    teamIds: idList.default([]),
    ledTeamIds: idList.default([]),
  })
  .transform((m) => ({ ...m, teamIds: [...new Set(m.teamIds)], ledTeamIds: [...new Set(m.ledTeamIds)] }));
export type MappingForm = z.infer<typeof mappingFormSchema>;

export const mappingDeleteSchema = z.object({ id: z.string().min(1).max(64) });

/** teamIds / ledTeamIds columns hold JSON arrays; anything unreadable counts as none. */
export function parseIdList(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}
