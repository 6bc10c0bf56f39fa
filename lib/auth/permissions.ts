/** Console roles, most to least privileged. See ../shared/notes/product.md. */
export const ROLES = ["admin", "lead", "developer"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/**
 * Who may do what, as data. Team scope (a lead acts only on teams they lead) is checked in the
 * service against the resource looked up on the server; this table is the role gate in front of it.
 */
export const PERMISSIONS = {
  "users.read": ["admin"],
  "users.manage": ["admin"],
  "teams.manage": ["admin"],
  "audit.read": ["admin", "lead"],
  "audit.export": ["admin", "lead"],
  "profile.update": ["admin", "lead", "developer"],
  // ── Keys (issue 4). Reads are scoped in the query: admin all, lead the teams they lead (and
  // their own keys), developer their own keys. Writes re-check the scope on the key itself.
  "keys.read": ["admin", "lead", "developer"],
  "keys.export": ["admin", "lead", "developer"],
  "keys.refresh": ["admin", "lead"],
  "keys.issue": ["admin"],
  "keys.disable": ["admin", "lead"],
  "keys.enable": ["admin", "lead"],
  "keys.reset": ["admin"],
  "keys.delete": ["admin"],
  "keys.adopt": ["admin"],
  // Bulk change of a key's owner or team (issue 16): admins any key, leads their teams' keys into their teams.
  "keys.reassign": ["admin", "lead"],
  // Issue 16: edit (admin any managed key, lead the keys of teams they lead) and rotate (admin any,
  // lead their teams' keys and their own, developer their own; the reveal goes to the owner).
  "keys.edit": ["admin", "lead"],
  "keys.rotate": ["admin", "lead", "developer"],
  // Short-term keys: everyone generates for themself only; lists are scoped like keys.read.
  "shortterm.generate": ["admin", "lead", "developer"],
  "shortterm.read": ["admin", "lead", "developer"],
  "shortterm.revoke": ["admin"],
  // Key inspector (incident response). Containment re-checks keys.disable / shortterm.revoke.
  "inspect.use": ["admin", "lead"],
  // ── Usage (issue 5). Reads are scoped in the query (lib/usage/scope.ts): admin all; lead the
  // keys of teams they lead, their own, and the short-term usage of their teams' members;
  // developer their own keys and own short-term usage. A sync reads the whole account's
  // CloudTrail, so it is limited like the inventory refresh; a full 90-day re-read is admin-only.
  "usage.read": ["admin", "lead", "developer"],
  "usage.export": ["admin", "lead", "developer"],
  "usage.sync": ["admin", "lead"],
  "usage.resync": ["admin"],
  // ── Requests, policy, notifications (issue 6). Requests are scoped in the service: a person
  // sees, cancels and picks up their own; a lead decides requests of teams they lead, an admin any
  // — never their own.
  "requests.create": ["admin", "lead", "developer"],
  "requests.read": ["admin", "lead", "developer"],
  "requests.cancel": ["admin", "lead", "developer"],
  "requests.pickup": ["admin", "lead", "developer"],
  "requests.decide": ["admin", "lead"],
  "policy.manage": ["admin"],
  // ── AWS accounts (issue 14): registering, pausing and checking member accounts.
  "accounts.manage": ["admin"],
  "notifications.read": ["admin", "lead", "developer"],
  "notifications.webhook": ["admin"],
  // ── Budgets (issue 15): read scoped in the query (lib/budgets/service.ts); leads set budgets on
  // their teams and their teams' keys, within the ceiling admins set (budgets.policy).
  "budgets.read": ["admin", "lead", "developer"],
  "budgets.manage": ["admin", "lead"],
  "budgets.policy": ["admin"],
  // ── Posture findings (issue 16). Findings are scoped in the query (lib/posture/scope.ts): admin
  // all; lead the keys of teams they lead. Fixes re-check the key's own scope (leads may disable);
  // deleting keys or IAM users and removing policies are admin-only, like keys.delete.
  "posture.read": ["admin", "lead"],
  "posture.evaluate": ["admin", "lead"],
  "posture.fix": ["admin", "lead"],
  "posture.accept": ["admin", "lead"],
  "posture.manage": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Unknown roles and unknown permissions are refused. */
export function can(role: unknown, permission: Permission): boolean {
  if (!isRole(role)) return false;
  const allowed: readonly Role[] | undefined = PERMISSIONS[permission];
  return Array.isArray(allowed) && allowed.includes(role);
}
