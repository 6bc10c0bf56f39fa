import type { Permission } from "@/lib/auth/permissions";

/**
 * Sections of the console. A section is listed only for roles that hold its permission, and only
 * once its feature exists. Pages check the permission again on the server: hiding is not security.
 */
export const NAV_ITEMS: { href: string; key: string; icon: "home" | "users" | "audit"; permission?: Permission }[] = [
  { href: "/", key: "home", icon: "home" },
  { href: "/users", key: "users", icon: "users", permission: "users.read" },
  { href: "/audit", key: "audit", icon: "audit", permission: "audit.read" },
];
