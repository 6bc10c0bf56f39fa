import "server-only";
import { config } from "@/lib/config";
import { deriveMfaKeys, type MfaKeys } from "./crypto";

let cached: MfaKeys | undefined;

/** The keys of the configured secrets (derived once per process). */
export function mfaKeys(): MfaKeys {
  cached ??= deriveMfaKeys(config());
  return cached;
}

/** The cookie that carries the second-step ticket between the two sign-in forms. */
export const MFA_TICKET_COOKIE = "bkc-mfa-ticket";
export const MFA_TICKET_SECONDS = 300;
