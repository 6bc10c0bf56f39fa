import { teamLeads } from "./recipients";
import { notify, type NotifyDeps } from "./service";

const DAY_MS = 86_400_000;
export const KEY_REMINDER_DAYS = 7;

/**
 * Tell owners and team leads about console keys that expire within 7 days. Runs on a schedule;
 * the dedupe key (key + its expiry) makes each person hear about one expiry once, however often
 * it runs — and a key whose expiry changed (reset, re-issued) is a new reminder.
 */
export async function remindExpiringKeys(deps: NotifyDeps): Promise<number> {
  const now = deps.now();
  const keys = await deps.db.apiKey.findMany({
    where: { managed: true, state: "present", status: "Active", expiresAt: { gt: now, lte: new Date(now.getTime() + KEY_REMINDER_DAYS * DAY_MS) } },
    select: { id: true, name: true, expiresAt: true, ownerId: true, teamId: true, owner: { select: { active: true, email: true } }, team: { select: { name: true } } },
    orderBy: { expiresAt: "asc" },
    take: 1000,
  });
  const leadsByTeam = new Map<string, string[]>();
  let notified = 0;
  for (const key of keys) {
    const leads = key.teamId ? (leadsByTeam.get(key.teamId) ?? (await teamLeads(deps.db, key.teamId))) : [];
    if (key.teamId) leadsByTeam.set(key.teamId, leads);
    const recipients = [...(key.ownerId && key.owner?.active ? [key.ownerId] : []), ...leads];
    if (recipients.length === 0) continue;
    const expiresAt = key.expiresAt!.toISOString();
    const team = key.team?.name ?? "";
    const { created } = await notify(deps, {
      kind: "key.expiring",
      recipients,
      params: { keyName: key.name, team, expiresAt },
      href: `/keys/${key.id}`,
      dedupeKey: `key.expiring:${key.id}:${expiresAt}`,
      data: { keyId: key.id, keyName: key.name, team, owner: key.owner?.email ?? null, expiresAt },
    });
    if (created > 0) notified++;
  }
  return notified;
}
