import { hkdfSync } from "node:crypto";
import { decryptSecret, encryptSecret } from "@/lib/mfa/crypto";

/**
 * The SMTP password is stored sealed with the same AES-256-GCM helper as the TOTP secrets
 * (lib/mfa/crypto.ts), under a key of its own derived from the same root (MFA_ENCRYPTION_KEY, else
 * AUTH_SECRET) with another HKDF label: a leaked database holds no usable password, and the TOTP
 * key cannot open it nor the other way round.
 */
export function deriveMailKey(settings: { MFA_ENCRYPTION_KEY?: string | undefined; AUTH_SECRET: string }): Buffer {
  const ikm = settings.MFA_ENCRYPTION_KEY ?? settings.AUTH_SECRET;
  return Buffer.from(hkdfSync("sha256", ikm, "bedrock-key-console/mail/v1", "smtp-password-encryption", 32));
}

export function sealPassword(key: Buffer, password: string): string {
  return encryptSecret(key, password);
}

/** Null when it cannot be opened (the root secret was rotated): the settings page asks for it again. */
export function openPassword(key: Buffer, sealed: string): string | null {
  return decryptSecret(key, sealed);
}
