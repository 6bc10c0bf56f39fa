import type { PrismaClient } from "@/lib/generated/prisma/client";
import { teamLeads } from "@/lib/notifications/recipients";
import { notify, type NotifyDeps } from "@/lib/notifications/service";
import { ROTATION_REMINDER_DAYS } from "@/lib/policy/schema";

const DAY_MS = 86_400_000;

/**
 * The rotation policy (issue 16): keys should be rotated before they are `rotationDays` old.
 * Reminds owners and team leads of console keys (in the bell, and the webhook) from
 * ROTATION_REMINDER_DAYS before that age. A key's age is its current credential's: a rotation
 * gives it a new credential, so the reminders start over. The dedupe key (key + credential) makes
 * each person hear once per credential, however often this runs. Keys already being rotated are
 * left alone.
 */
export async function remindRotationDue(deps: NotifyDeps, rotationDays: number | null): Promise<number> {
  if (rotationDays === null) return 0;
  const now = deps.now();
  const createdBefore = new Date(now.getTime() - (rotationDays - ROTATION_REMINDER_DAYS) * DAY_MS);
  const keys = await deps.db.apiKey.findMany({
    where: { managed: true, state: "present", status: "Active", credentialId: { not: null }, awsCreatedAt: { lte: createdBefore } },
    select: { id: true, name: true, credentialId: true, awsCreatedAt: true, ownerId: true, teamId: true, owner: { select: { active: true, email: true } }, team: { select: { name: true } } },
    orderBy: { awsCreatedAt: "asc" },
    take: 1000,
  });
  const rotating = await openRotationKeys(deps.db, keys.map((k) => k.id));
  const leadsByTeam = new Map<string, string[]>();
  let notified = 0;
  for (const key of keys) {
    if (rotating.has(key.id)) continue;
    const leads = key.teamId ? (leadsByTeam.get(key.teamId) ?? (await teamLeads(deps.db, key.teamId))) : [];
    if (key.teamId) leadsByTeam.set(key.teamId, leads);
    const recipients = [...(key.ownerId && key.owner?.active ? [key.ownerId] : []), ...leads];
    if (recipients.length === 0) continue;
    const dueAt = new Date(key.awsCreatedAt!.getTime() + rotationDays * DAY_MS).toISOString();
    const { created } = await notify(deps, {
      kind: "key.rotationDue",
      recipients,
      params: { keyName: key.name, dueAt },
      href: `/keys/${key.id}`,
      dedupeKey: `key.rotationDue:${key.id}:${key.credentialId}`,
      data: { keyId: key.id, keyName: key.name, team: key.team?.name ?? "", owner: key.owner?.email ?? null, dueAt },
    });
    if (created > 0) notified++;
  }
  return notified;
}

async function openRotationKeys(db: PrismaClient, keyIds: string[]): Promise<Set<string>> {
  if (keyIds.length === 0) return new Set();
  const rows = await db.keyRotation.findMany({ where: { apiKeyId: { in: keyIds }, state: { in: ["pickup", "creating", "overlap"] } }, select: { apiKeyId: true } });
  return new Set(rows.map((r) => r.apiKeyId));
}
