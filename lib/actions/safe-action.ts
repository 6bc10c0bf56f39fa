import "server-only";
import { randomUUID } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { z } from "zod";
import { appendAudit } from "@/lib/audit/service";
import { can, type Permission } from "@/lib/auth/permissions";
import { sessionUser, type SessionUser } from "@/lib/auth/session";
import { db, type PrismaClient } from "@/lib/db";
import { log } from "@/lib/log";
import { requestMeta, type RequestMeta } from "@/lib/http/request-meta";
import { countAnonymousCall } from "./anonymous";
import { ActionError, formDataToObject, type ActionResult, type FieldErrors } from "./errors";
import { issueToMessage } from "./zod-messages";

export interface AuditTarget {
  type: string;
  id?: string | null;
  label?: string | null;
  teamId?: string | null;
}

export interface ActionContext {
  user: SessionUser;
  meta: RequestMeta;
  db: PrismaClient;
  /** Name what the action acts on, as soon as it is looked up: the audit entry records it. */
  target(target: AuditTarget): void;
  /** Add non-secret details to the audit entry. */
  detail(details: Record<string, unknown>): void;
}

export interface ActionDefinition<S extends z.ZodType, T> {
  /** audit action name, e.g. "users.create" */
  name: string;
  permission: Permission;
  schema: S;
  run(input: z.output<S>, ctx: ActionContext): Promise<T>;
}

/**
 * The one way to write a server action: authenticate → validate (zod) → authorize (permission
 * table) → act → audit. Authentication comes first, and a call without a session is refused
 * without writing anything (not even an audit entry — it is counted in memory instead), so
 * anonymous clients cannot grow the database. Resource-level checks (team scope) happen in `run`, against the resource
 * looked up on the server. Every outcome of a signed-in caller, including refusals and invalid
 * input, is audited.
 * Expected errors (ActionError) reach the user translated; anything else is logged with an event
 * id and the user sees only that id.
 */
export function defineAction<S extends z.ZodType, T>(def: ActionDefinition<S, T>) {
  return async function runAction(input: unknown): Promise<ActionResult<T>> {
    const meta = await requestMeta();
    const t = await getTranslations("errors");
    let target: AuditTarget | undefined;
    const details: Record<string, unknown> = {};
    let user: SessionUser | null = null;

    const audit = (result: "success" | "failure", extra: Record<string, unknown> = {}) =>
      appendAudit(db(), {
        action: def.name,
        result,
        actorId: user?.id ?? null,
        actorEmail: user?.email ?? null,
        targetType: target?.type ?? null,
        targetId: target?.id ?? null,
        targetLabel: target?.label ?? null,
        teamId: target?.teamId ?? null,
        ip: meta.ip,
        userAgent: meta.userAgent,
        details: { ...details, ...extra },
      });

    try {
      user = await sessionUser();
      if (!user) {
        countAnonymousCall(def.name);
        return { ok: false, error: t("signedOut") };
      }
      if (user.mfaEnrolmentDue && !def.name.startsWith("mfa.")) {
        // MFA_REQUIRED_FOR: until two-step sign-in is set up, only its own actions run.
        await audit("failure", { reason: "mfa_enrolment_due" });
        return { ok: false, error: t("mfaEnrolmentDue") };
      }
      const raw = input instanceof FormData ? formDataToObject(input) : input;
      const parsed = def.schema.safeParse(raw);
      if (!parsed.success) {
        const fieldErrors: FieldErrors = {};
        for (const issue of parsed.error.issues) {
          const field = issue.path.join(".") || "form";
          if (fieldErrors[field]) continue;
          const { code, params } = issueToMessage(issue);
          fieldErrors[field] = t(code, params);
        }
        // Field names only: the rejected values may be anything, including a pasted secret.
        await audit("failure", { reason: "invalid_input", fields: Object.keys(fieldErrors) });
        return { ok: false, error: t("invalidInput"), fieldErrors };
      }
      if (!can(user.role, def.permission)) {
        await audit("failure", { reason: "forbidden", permission: def.permission, role: user.role });
        return { ok: false, error: t("forbidden") };
      }
      const ctx: ActionContext = {
        user,
        meta,
        db: db(),
        target: (value) => {
          target = value;
        },
        detail: (value) => Object.assign(details, value),
      };
      const data = await def.run(parsed.data, ctx);
      await audit("success");
      return { ok: true, data };
    } catch (error) {
      unstable_rethrow(error); // let Next's redirect()/notFound() through
      if (error instanceof ActionError) {
        await audit("failure", { reason: error.code });
        const fieldErrors = Object.fromEntries(
          Object.entries(error.fieldErrors).map(([field, m]) => [field, t(m.code, m.params)]),
        );
        return { ok: false, error: t(error.code, error.params), ...(Object.keys(fieldErrors).length ? { fieldErrors } : {}) };
      }
      const eventId = randomUUID();
      log().error({ err: error, eventId, action: def.name, userId: user?.id }, "action failed");
      await audit("failure", { reason: "internal_error", eventId }).catch((auditError: unknown) =>
        log().error({ err: auditError, eventId }, "audit write failed"),
      );
      return { ok: false, error: t("unexpected", { eventId }), eventId };
    }
  };
}
