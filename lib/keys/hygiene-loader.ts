import "server-only";
import type { SessionUser } from "@/lib/auth/session";
import { getPolicy } from "@/lib/policy/service";
import { catalogueForRegion, type CatalogueEntry } from "./catalogue";
import { keyDeps } from "./deps";
import { otherCredentials, rotationView, type RotationView } from "./rotation";

/**
 * What the key page needs for editing and rotating (issue 16). Only decides what to offer: every
 * action checks permission and scope again on the server.
 */
export interface KeyHygiene {
  /** Null when the viewer may not edit this key. */
  edit: {
    owners: { id: string; name: string; email: string; teams: { id: string; name: string }[] }[];
    models: CatalogueEntry[];
    values: { name: string; purpose: string; ownerId: string; teamId: string; models: string[]; cidrs: string[]; notAfter: string | null };
  } | null;
  rotation: {
    view: RotationView | null;
    canRotate: boolean;
    /** The viewer may receive the new secret (admins, the owner). */
    canRevealToSelf: boolean;
    ownerName: string | null;
    /** Admins: other credentials on the key's IAM user (made elsewhere), which block a rotation. */
    others: { credentialId: string; status: string; createdAt: string }[];
    othersError: boolean;
  };
}

interface KeyFacts {
  id: string;
  name: string;
  purpose: string;
  state: string;
  managed: boolean;
  iamUserName: string;
  credentialId: string | null;
  owner: { id: string; name: string } | null;
  team: { id: string } | null;
  settings: { models: string[]; cidrs: string[]; notAfter: string | null };
}

export async function loadKeyHygiene(user: SessionUser, key: KeyFacts): Promise<KeyHygiene> {
  const deps = keyDeps();
  const present = key.state === "present";
  const leads = user.role === "lead" && !!key.team && user.ledTeamIds.includes(key.team.id);
  const isOwner = key.owner?.id === user.id;
  const canEdit = present && key.managed && (user.role === "admin" || leads);
  const canRotate = present && (user.role === "admin" || leads || isOwner);

  let edit: KeyHygiene["edit"] = null;
  if (canEdit) {
    const users = await deps.db.user.findMany({
      where: { active: true, memberships: { some: user.role === "admin" ? {} : { teamId: { in: user.ledTeamIds } } } },
      orderBy: { name: "asc" },
      select: { id: true, name: true, email: true, memberships: { select: { team: { select: { id: true, name: true } } } } },
    });
    const policy = await getPolicy(deps.db, deps.allowedExtraPolicies);
    const catalogue = catalogueForRegion(deps.region);
    edit = {
      owners: users.map((u) => ({
        id: u.id,
        name: u.name,
        email: u.email,
        // A lead may move a key only within the teams they lead.
        teams: u.memberships.map((m) => m.team).filter((t) => user.role === "admin" || user.ledTeamIds.includes(t.id)),
      })),
      models: policy.allowedModels.length > 0 ? catalogue.filter((m) => policy.allowedModels.includes(m.id)) : catalogue,
      values: {
        name: key.name,
        purpose: key.purpose,
        ownerId: key.owner?.id ?? "",
        teamId: key.team?.id ?? "",
        models: key.settings.models,
        cidrs: key.settings.cidrs,
        notAfter: key.settings.notAfter,
      },
    };
  }

  const view = present ? await rotationView(deps, key.id, user.id) : null;
  let others: KeyHygiene["rotation"]["others"] = [];
  let othersError = false;
  if (present && user.role === "admin" && !view) {
    // One IAM call: the way out of "this user already has two credentials" needs the other one's id.
    const row = await deps.db.apiKey.findUnique({ where: { id: key.id }, select: { accountId: true } });
    others = await otherCredentials(deps, { iamUserName: key.iamUserName, credentialId: key.credentialId, accountId: row?.accountId ?? null }).catch(() => {
      othersError = true;
      return [];
    });
  }
  return {
    edit,
    rotation: { view, canRotate, canRevealToSelf: user.role === "admin" || isOwner, ownerName: key.owner?.name ?? null, others, othersError },
  };
}

