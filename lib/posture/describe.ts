import type { RuleId } from "./rules";

/**
 * A finding's "why" in the reader's language, from its stored facts. Pure: the page renders it on
 * the server with the "posture.detail" translator, so no per-row client component is needed.
 */
export type DetailTranslator = (key: string, values?: Record<string, string | number>) => string;

type Detail = Record<string, unknown>;
const num = (v: unknown) => (typeof v === "number" ? v : 0);
const str = (v: unknown) => (typeof v === "string" ? v : "");
const names = (v: unknown) => (Array.isArray(v) ? v.map((p) => (typeof p === "string" ? p : str((p as { name?: unknown }).name))).filter(Boolean) : []);

export function describeFinding(rule: RuleId, detail: Detail, t: DetailTranslator): string {
  const parts: string[] = [];
  switch (rule) {
    case "noExpiry":
      parts.push(t("ageDays", { days: num(detail.ageDays) }));
      break;
    case "tooOld":
      parts.push(t(detail.basis === "rotation" ? "tooOldRotation" : "tooOld", { days: num(detail.ageDays), max: num(detail.maxDays) }));
      break;
    case "unused":
      parts.push(detail.lastUsedAt ? t("idle", { days: num(detail.idleDays) }) : t("idleNever", { days: num(detail.idleDays) }));
      break;
    case "pivot":
      if (num(detail.accessKeys)) parts.push(t("accessKeys", { count: num(detail.accessKeys) }));
      if (detail.password) parts.push(t("password"));
      if (detail.mfa) parts.push(t("mfa"));
      if (names(detail.policies).length) parts.push(t("policies", { names: names(detail.policies).join(", ") }));
      if (names(detail.groups).length) parts.push(t("groups", { names: names(detail.groups).join(", ") }));
      break;
    case "overBroad":
      parts.push(t("reasons", { policy: names(detail.policies).join(", "), reasons: names(detail.reasons).map((r) => t(`reason.${r}`)).join(", ") }));
      break;
    case "orphan":
      parts.push(t("orphan", { path: str(detail.path) }));
      break;
    case "policyViolation":
      if (detail.lifetimeDays === "never") parts.push(t("lifetimeNever", { max: num(detail.maxDays) }));
      else if (detail.lifetimeDays !== undefined) parts.push(t("lifetime", { days: num(detail.lifetimeDays), max: num(detail.maxDays) }));
      if (Array.isArray(detail.models)) parts.push(t("models", { models: names(detail.models).map((m) => (m === "*" ? t("anyModel") : m)).join(", ") }));
      break;
    case "shortTermOnly":
      parts.push(t("shortTermOnly"));
      break;
  }
  return parts.join(" · ");
}

/** The names of the policies a finding would remove (detachPolicy). */
export function policyNames(detail: Detail): string[] {
  return names(detail.policies);
}
