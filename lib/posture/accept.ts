import { z } from "zod";
import { ActionError } from "@/lib/actions/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AuditSink, KeyActor } from "@/lib/keys/types";
import { findFindingInScope } from "./scope";
import { FINDING_TARGET } from "./types";

/** Longest a risk may be accepted for before someone has to look again. */
export const MAX_ACCEPT_DAYS = 365;

export const acceptSchema = z.object({
  findingId: z.string().min(1).max(64),
  reason: z.string().trim().min(5).max(500),
  /** YYYY-MM-DD (end of that day, UTC). */
  expiresOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "field.date" }),
});

/**
 * "Accept the risk": hides the finding (by fingerprint, so it stays accepted across evaluations)
 * from the open list until the expiry date; it is shown apart meanwhile, and comes back after.
 */
export async function acceptFinding(db: PrismaClient, actor: KeyActor, input: z.output<typeof acceptSchema>, now: Date, audit: AuditSink) {
  const finding = await findFindingInScope(db, actor, input.findingId);
  audit.target({ type: FINDING_TARGET, id: finding.id, label: finding.label, teamId: finding.teamId });
  const expiresAt = new Date(`${input.expiresOn}T23:59:59.999Z`);
  if (Number.isNaN(expiresAt.getTime())) throw new ActionError("invalidInput", {}, { expiresOn: { code: "field.date" } });
  if (expiresAt <= now) throw new ActionError("invalidInput", {}, { expiresOn: { code: "field.dateInPast" } });
  if (expiresAt.getTime() - now.getTime() > MAX_ACCEPT_DAYS * 86_400_000) throw new ActionError("invalidInput", {}, { expiresOn: { code: "field.invalid" } });
  audit.detail({ rule: finding.rule, iamUserName: finding.iamUserName, reason: input.reason, expiresOn: input.expiresOn });
  const data = { rule: finding.rule, teamId: finding.teamId, reason: input.reason, expiresAt, acceptedById: actor.id, acceptedByEmail: actor.email };
  await db.postureAcceptance.upsert({ where: { fingerprint: finding.fingerprint }, create: { fingerprint: finding.fingerprint, ...data }, update: data });
  return { accepted: true };
}

/** Withdraw an acceptance: the finding is open again. */
export async function reopenFinding(db: PrismaClient, actor: KeyActor, findingId: string, audit: AuditSink) {
  const finding = await findFindingInScope(db, actor, findingId);
  audit.target({ type: FINDING_TARGET, id: finding.id, label: finding.label, teamId: finding.teamId });
  audit.detail({ rule: finding.rule });
  const removed = await db.postureAcceptance.deleteMany({ where: { fingerprint: finding.fingerprint } });
  if (removed.count === 0) throw new ActionError("notFound");
  return { reopened: true };
}
