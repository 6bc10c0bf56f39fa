import type { AccountAccess } from "@/lib/accounts/access";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { SessionUser } from "@/lib/auth/session";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/** What the key services need, passed in (tests hand in a test database and sandbox clients). */
export interface KeyDeps {
  db: PrismaClient;
  /** IAM of the console's own (default) account. */
  iam: IAMClient;
  /**
   * IAM of the account a key lives in (issue 14): its member role's credentials, or the console's
   * own for the default account. Unset (tests of one account): `iam` for every key.
   */
  iamFor?: (accountId: string | null) => Promise<IAMClient>;
  /** Every registered account, for the inventory refresh (issue 14). Unset: only `iam`'s account. */
  accounts?: AccountAccess;
  now: () => Date;
  /** The region keys are used in by default (reveal snippets, model suggestion). */
  region: string;
  /** IAM path of the users the console creates. */
  keyIamPath: string;
  /** Extra AWS managed policy names an admin may attach. */
  allowedExtraPolicies: readonly string[];
  /** Permissions boundary set on every user the console creates (optional). */
  permissionsBoundaryArn?: string;
}

/** The person acting, as the session knows them. */
export type KeyActor = Pick<SessionUser, "id" | "email" | "role" | "teamIds" | "ledTeamIds">;

export interface AuditTarget {
  type: string;
  id?: string | null;
  label?: string | null;
  teamId?: string | null;
}

/**
 * Where a service reports what it acted on and non-secret details: the action chain's context
 * (ActionContext has both methods) or a no-op for scripts and tests.
 */
export interface AuditSink {
  target(target: AuditTarget): void;
  detail(details: Record<string, unknown>): void;
}

export const NO_AUDIT: AuditSink = { target() {}, detail() {} };

/** The audit target type of a long-term key. */
export const KEY_TARGET = "apiKey";

/** The IAM client that acts on a key in `accountId`: never another account's credentials. */
export async function iamOf(deps: { iam: IAMClient; iamFor?: (accountId: string | null) => Promise<IAMClient> }, accountId: string | null): Promise<IAMClient> {
  return deps.iamFor ? deps.iamFor(accountId) : deps.iam;
}
