import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { parseIdList } from "./mapping";

export interface SsoMappingRow {
  id: string;
  group: string;
  role: string;
  teamIds: string[];
  ledTeamIds: string[];
}

/** The settings page's SSO section: null when SSO is not configured (the section is not shown). */
export async function loadSsoSettings() {
  const cfg = config();
  if (!cfg.OIDC_ISSUER) return null;
  const teams = await db().team.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
  const byName = new Map(teams.map((t) => [t.name, t.id]));
  const configured = cfg.OIDC_GROUP_MAPPINGS;
  const mappings: SsoMappingRow[] = configured
    ? configured.map((m) => ({
        id: `config:${m.group}`,
        group: m.group,
        role: m.role,
        // Unknown team names are shown as written, so the admin sees what the configuration says.
        teamIds: [...new Set([...m.teams, ...m.leads])].map((n) => byName.get(n) ?? n),
        ledTeamIds: m.leads.map((n) => byName.get(n) ?? n),
      }))
    : (await db().idpGroupMapping.findMany({ orderBy: { group: "asc" } })).map((r) => ({ id: r.id, group: r.group, role: r.role, teamIds: parseIdList(r.teamIds), ledTeamIds: parseIdList(r.ledTeamIds) }));
  return {
    readOnly: !!configured,
    displayName: cfg.OIDC_DISPLAY_NAME,
    groupsClaim: cfg.OIDC_GROUPS_CLAIM,
    localSignIn: cfg.LOCAL_SIGNIN,
    teams,
    mappings,
  };
}
