import { ActionError } from "@/lib/actions/errors";
import { AwsServiceError, isAwsKind } from "@/lib/aws/errors";
import { deleteUserPolicy, getUserPolicyDocument, listBedrockCredentials, putUserPolicy, tagUser } from "@/lib/aws/iam";
import { toTagValue } from "@/lib/aws/iam-mapping";
import { longTermProblems } from "@/lib/policy/enforce";
import { getPolicy, policyForAccount } from "@/lib/policy/service";
import { teamMayUseAccount } from "@/lib/accounts/service";
import { markGone, onKey, report, requirePresent, withLockedKey } from "./lifecycle";
import { findNameClash } from "./name-unique";
import { buildRestrictionPolicy, RESTRICTION_POLICY_NAME } from "./restriction-policy";
import type { EditKeyInput } from "./schemas";
import { keyStatusScope } from "./scope";
import { parseKeySettings, type KeySettings } from "./settings";
import { type AuditSink, iamOf, type KeyActor, type KeyDeps, NO_AUDIT } from "./types";

/**
 * Edit an issued key (issue 16): its owner, team, name, purpose and restrictions. The inline
 * restriction policy is rewritten as issuance writes it, checked against the organisation's
 * policy as issuance is, and the IAM user's tags follow (an inventory refresh re-links a key
 * through them). Admins edit any managed key; leads the keys of teams they lead, and only into a
 * team they lead. Audited with what changed, before and after.
 *
 * Order: check everything, confirm the key still exists in IAM, write the policy, tag, then save.
 * A failure after the policy was written puts the previous document back, so nothing is half-done.
 */

type Fields = Record<string, { code: string; params?: Record<string, string | number> }>;

interface Snapshot {
  name: string;
  purpose: string;
  ownerEmail: string | null;
  team: string | null;
  models: string[];
  cidrs: string[];
  notAfter: string | null;
}

export async function editKey(deps: KeyDeps, actor: KeyActor, input: EditKeyInput, audit: AuditSink = NO_AUDIT): Promise<{ keyId: string; changed: string[] }> {
  return withLockedKey(deps, input.keyId, keyStatusScope(actor), async (key) => {
    report(audit, key);
    const credentialId = requirePresent(key);
    if (!key.managed) throw new ActionError("keyEdit.unmanaged", { name: key.name });
    const now = deps.now();
    const fields: Fields = {};
    if (actor.role !== "admin" && !actor.ledTeamIds.includes(input.teamId)) fields.teamId = { code: "keyEdit.teamNotLed" };
    const owner = await deps.db.user.findFirst({
      where: { id: input.ownerId, active: true },
      select: { id: true, email: true, memberships: { select: { teamId: true } } },
    });
    if (!owner) fields.ownerId = { code: "field.unknownUser" };
    const team = await deps.db.team.findUnique({ where: { id: input.teamId }, select: { id: true, name: true } });
    if (!team || (owner && !owner.memberships.some((m) => m.teamId === team.id))) fields.teamId ??= { code: "field.ownerTeam" };
    if (team && key.accountId && !(await teamMayUseAccount(deps.db, team.id, key.accountId))) {
      fields.teamId ??= { code: "field.accountNotForTeam", params: { team: team.name } };
    }
    const r = input.restrictions;
    if (r.notAfter && r.notAfter < now.toISOString().slice(0, 10)) fields.notAfter = { code: "field.dateInPast" };
    if (await findNameClash(deps.db, input.name, { keyId: key.id })) fields.name = { code: "field.keyNameTaken", params: { name: input.name } };
    // The organisation's policy binds an edit as it binds issuance: the models only (the key's age
    // is changed by rotating, its managed policies are not edited here).
    const previous = parseKeySettings(key.settings);
    const policy = await policyForAccount(deps.db, await getPolicy(deps.db, deps.allowedExtraPolicies), key.accountId);
    const beyond = longTermProblems(policy, { ageDays: null, models: r.models, extraPolicies: [] }).models;
    if (beyond) fields.models ??= beyond;
    if (Object.keys(fields).length > 0 || !owner || !team) {
      throw new ActionError(Object.keys(fields).length === 1 && fields.models === beyond ? "policy.refused" : "invalidInput", {}, fields);
    }

    const before = await snapshotOf(deps, key, previous);
    const after: Snapshot = { name: input.name, purpose: input.purpose, ownerEmail: owner.email, team: team.name, ...r };
    const changed = (Object.keys(after) as (keyof Snapshot)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (changed.length === 0) {
      audit.detail({ unchanged: true });
      return { keyId: key.id, changed };
    }

    const iam = await iamOf(deps, key.accountId);
    // Deleted in AWS meanwhile: say so and mark the record, before writing anything.
    const live = await onKey(deps, key, audit, () => listBedrockCredentials(iam, now, key.iamUserName));
    if (!live.items.some((c) => c.credentialId === credentialId)) return markGone(deps, key, audit);

    const restrictionsChanged = changed.some((k) => k === "models" || k === "cidrs" || k === "notAfter");
    // The user exists (just listed): NoSuchEntity here means it has no restriction policy yet.
    const oldDocument = restrictionsChanged
      ? await getUserPolicyDocument(iam, key.iamUserName, RESTRICTION_POLICY_NAME).catch((error: unknown) => {
          if (isAwsKind(error, "NotFound")) return null;
          throw error;
        })
      : null;
    const document = buildRestrictionPolicy(r);
    const restore = async () => {
      if (!restrictionsChanged) return;
      if (oldDocument) await putUserPolicy(iam, key.iamUserName, RESTRICTION_POLICY_NAME, oldDocument);
      else await deleteUserPolicy(iam, key.iamUserName, RESTRICTION_POLICY_NAME).catch(() => undefined);
    };
    try {
      if (restrictionsChanged) {
        if (document) await onKey(deps, key, audit, () => putUserPolicy(iam, key.iamUserName, RESTRICTION_POLICY_NAME, document));
        else if (oldDocument) await onKey(deps, key, audit, () => deleteUserPolicy(iam, key.iamUserName, RESTRICTION_POLICY_NAME));
      }
      if (key.consoleUser) {
        await onKey(deps, key, audit, () =>
          tagUser(iam, key.iamUserName, { owner: toTagValue(owner.email), team: toTagValue(team.name), purpose: toTagValue(input.purpose), name: toTagValue(input.name) }),
        );
      }
      const settings: KeySettings = { extraPolicies: previous.extraPolicies, ...r };
      const saved = await deps.db.apiKey.updateMany({
        where: { id: key.id, state: "present" },
        data: { name: input.name, purpose: input.purpose, ownerId: owner.id, teamId: team.id, settings: JSON.stringify(settings) },
      });
      if (saved.count !== 1) throw new ActionError("conflict");
    } catch (error) {
      const undone = await restore().then(
        () => true,
        () => false,
      );
      audit.detail({ before, after, failed: true, policyRestored: undone, ...(error instanceof AwsServiceError ? error.toDetails() : {}) });
      throw error;
    }
    audit.target({ type: "apiKey", id: key.id, label: input.name, teamId: team.id });
    audit.detail({ before: pick(before, changed), after: pick(after, changed), previousTeamId: key.teamId });
    return { keyId: key.id, changed };
  });
}

const pick = (s: Snapshot, keys: (keyof Snapshot)[]) => Object.fromEntries(keys.map((k) => [k, s[k]]));

async function snapshotOf(deps: KeyDeps, key: { name: string; purpose: string; ownerId: string | null; teamId: string | null }, settings: KeySettings): Promise<Snapshot> {
  const [owner, team] = await Promise.all([
    key.ownerId ? deps.db.user.findUnique({ where: { id: key.ownerId }, select: { email: true } }) : null,
    key.teamId ? deps.db.team.findUnique({ where: { id: key.teamId }, select: { name: true } }) : null,
  ]);
  return {
    name: key.name,
    purpose: key.purpose,
    ownerEmail: owner?.email ?? null,
    team: team?.name ?? null,
    models: settings.models,
    cidrs: settings.cidrs,
    notAfter: settings.notAfter,
  };
}
