import { hkdfSync } from "node:crypto";
import { auditSettings } from "@/lib/config/audit";

/**
 * The audit chain's HMAC key. AUDIT_HMAC_KEY if set; otherwise derived from AUTH_SECRET with
 * HKDF-SHA256 under an audit-specific label, so installs that never set it get a keyed chain on
 * upgrade without a new secret, and the derived key cannot be used for anything AUTH_SECRET signs
 * (sessions) — nor the other way round. Either way it lives outside the database.
 */
export function deriveAuditKey(settings: { AUDIT_HMAC_KEY?: string; AUTH_SECRET: string }): Buffer {
  const ikm = settings.AUDIT_HMAC_KEY ?? settings.AUTH_SECRET;
  const info = settings.AUDIT_HMAC_KEY ? "audit-hmac-key" : "audit-hmac-key-from-auth-secret";
  return Buffer.from(hkdfSync("sha256", ikm, "bedrock-key-console/audit-chain/v1", info, 32));
}

let cached: Buffer | undefined;

/** The configured key (cached). Throws, with the setting's name, when neither secret is set. */
export function auditKey(): Buffer {
  cached ??= deriveAuditKey(auditSettings());
  return cached;
}
