import type { Permission } from "@/lib/auth/permissions";

export type NavIcon = "home" | "keys" | "shortTermKeys" | "inspect" | "usage" | "requests" | "settings" | "users" | "audit" | "accounts" | "budgets" | "posture";

/**
 * Sections of the console. A section is listed only for roles that hold its permission, and only
 * once its feature exists. Pages check the permission again on the server: hiding is not security.
 */
export const NAV_ITEMS: { href: string; key: string; icon: NavIcon; permission?: Permission }[] = [
  { href: "/", key: "home", icon: "home" },
  { href: "/keys", key: "keys", icon: "keys", permission: "keys.read" },
  { href: "/short-term-keys", key: "shortTermKeys", icon: "shortTermKeys", permission: "shortterm.read" },
  { href: "/inspect", key: "inspect", icon: "inspect", permission: "inspect.use" },
  { href: "/usage", key: "usage", icon: "usage", permission: "usage.read" },
  { href: "/posture", key: "posture", icon: "posture", permission: "posture.read" },
  { href: "/requests", key: "requests", icon: "requests", permission: "requests.read" },
  { href: "/budgets", key: "budgets", icon: "budgets", permission: "budgets.read" },
  { href: "/users", key: "users", icon: "users", permission: "users.read" },
  { href: "/accounts", key: "accounts", icon: "accounts", permission: "accounts.manage" },
  { href: "/audit", key: "audit", icon: "audit", permission: "audit.read" },
  { href: "/settings", key: "settings", icon: "settings", permission: "policy.manage" },
];
