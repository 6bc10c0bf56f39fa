import "server-only";
import type { ActionContext } from "@/lib/actions/safe-action";
import { appendAudit } from "@/lib/audit/service";
import type { KeyAuditWriter } from "./bulk";

/**
 * Per-item audit entries of a bulk operation or an offboarding, written as the item's own row
 * action would have written them: same action name, the acting person, the request's IP and
 * user agent. The operation's own summary is the action chain's entry (ctx).
 */
export function itemAuditWriter(ctx: ActionContext): KeyAuditWriter {
  return async (e) => {
    await appendAudit(ctx.db, {
      action: e.action,
      result: e.result,
      actorId: ctx.user.id,
      actorEmail: ctx.user.email,
      targetType: e.target?.type ?? null,
      targetId: e.target?.id ?? null,
      targetLabel: e.target?.label ?? null,
      teamId: e.target?.teamId ?? null,
      ip: ctx.meta.ip,
      userAgent: ctx.meta.userAgent,
      details: e.details,
    });
  };
}
