import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { KeyActor, KeyDeps } from "@/lib/keys/types";
import type { NotifyDeps } from "@/lib/notifications/service";
import type { ShortTermDeps } from "@/lib/shortterm/service";

/** What the request services need, passed in (tests hand in a test database, the sandbox, a clock). */
export interface RequestDeps {
  db: PrismaClient;
  now: () => Date;
  /** ALLOWED_EXTRA_POLICIES: the ceiling the policy is read against. */
  configuredExtraPolicies: readonly string[];
  /** SHORT_TERM_MAX_HOURS in minutes: the deployment's ceiling for short-term keys. */
  shortTermCeilingMinutes: number;
  /** Regions a short-term key may be made for, the first being the default. */
  regions: readonly string[];
  notify: NotifyDeps;
  /** The key services, for the pick-up (created on demand: only pick-up talks to AWS). */
  keys: () => KeyDeps;
  shortTerm: () => ShortTermDeps;
}

/** The person acting (the session user); the name is used in notifications when known. */
export type RequestActor = KeyActor & { name?: string };

/** The audit target type of a request. */
export const REQUEST_TARGET = "keyRequest";
