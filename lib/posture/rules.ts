/**
 * The posture rules: what each finds, how bad it is, and which one-click fixes apply. Pure data
 * (no server imports) so the page and the services share it.
 */

export const RULES = ["pivot", "overBroad", "noExpiry", "policyViolation", "orphan", "tooOld", "unused", "shortTermOnly"] as const;
export type RuleId = (typeof RULES)[number];
export type Severity = "high" | "medium" | "low";

/**
 * disable / delete: the key's lifecycle functions (lib/keys/lifecycle.ts). deleteUser: the
 * clean-up of an IAM user left without a credential (lib/keys/cleanup.ts). detachPolicy: detach the
 * managed policy, or delete the inline one, named by the finding. keyPage: the fix is an edit on
 * the key's page (add restrictions, a shorter expiry), so the finding links there.
 */
export type FixKind = "disable" | "delete" | "deleteUser" | "detachPolicy" | "keyPage";

export const RULE_INFO: Record<RuleId, { severity: Severity; fixes: readonly FixKind[] }> = {
  pivot: { severity: "high", fixes: ["delete", "detachPolicy", "disable", "keyPage"] },
  overBroad: { severity: "high", fixes: ["detachPolicy", "disable", "keyPage"] },
  noExpiry: { severity: "high", fixes: ["disable", "delete", "keyPage"] },
  policyViolation: { severity: "medium", fixes: ["disable", "keyPage"] },
  orphan: { severity: "medium", fixes: ["deleteUser"] },
  tooOld: { severity: "medium", fixes: ["disable", "delete", "keyPage"] },
  unused: { severity: "low", fixes: ["disable", "delete"] },
  shortTermOnly: { severity: "medium", fixes: ["disable", "delete"] },
};

export const SEVERITY_ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2 };

export function isRule(v: unknown): v is RuleId {
  return typeof v === "string" && (RULES as readonly string[]).includes(v);
}
