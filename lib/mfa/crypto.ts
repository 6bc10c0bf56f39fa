import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import * as OTPAuth from "otpauth";

/**
 * The cryptography of two-step sign-in, with no database or configuration in it (tested alone):
 * TOTP (RFC 6238: SHA-1, 6 digits, 30 s — what every authenticator app accepts), the encryption
 * of the TOTP secret at rest, recovery codes, and the short-lived ticket that carries a verified
 * password to the second step.
 */

export const TOTP_PERIOD_SECONDS = 30;
/** One step either side: a phone whose clock is up to 30 s off still works (RFC 6238 §5.2). */
const TOTP_WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;

export interface MfaKeys {
  /** AES-256-GCM key of the TOTP secrets in the database. */
  secret: Buffer;
  /** HMAC key of the second-step tickets. */
  ticket: Buffer;
}

/**
 * Both keys come from MFA_ENCRYPTION_KEY, or from AUTH_SECRET under MFA-specific labels, so they
 * cannot be used for anything else AUTH_SECRET signs (sessions), nor the other way round.
 */
export function deriveMfaKeys(settings: { MFA_ENCRYPTION_KEY?: string; AUTH_SECRET: string }): MfaKeys {
  const ikm = settings.MFA_ENCRYPTION_KEY ?? settings.AUTH_SECRET;
  const salt = "bedrock-key-console/mfa/v1";
  return {
    secret: Buffer.from(hkdfSync("sha256", ikm, salt, "totp-secret-encryption", 32)),
    ticket: Buffer.from(hkdfSync("sha256", ikm, salt, "second-step-ticket", 32)),
  };
}

/** A new TOTP secret (160 bits, as RFC 4226 recommends), base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, account: string, issuer: string): string {
  return new OTPAuth.TOTP({ issuer, label: account, algorithm: "SHA1", digits: 6, period: TOTP_PERIOD_SECONDS, secret: OTPAuth.Secret.fromBase32(secretBase32) }).toString();
}

/** The current code of a secret (tests and the demo's documented users compute codes with it). */
export function totpCode(secretBase32: string, now: Date = new Date()): string {
  return new OTPAuth.TOTP({ algorithm: "SHA1", digits: 6, period: TOTP_PERIOD_SECONDS, secret: OTPAuth.Secret.fromBase32(secretBase32) }).generate({ timestamp: now.getTime() });
}

/**
 * The time step of a valid code, or null. A code is accepted only if its step is later than the
 * last one accepted for this person, so a code seen over someone's shoulder cannot be used again.
 */
export function verifyTotp(secretBase32: string, code: string, lastStep: number | null, now: Date = new Date()): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const totp = new OTPAuth.TOTP({ algorithm: "SHA1", digits: 6, period: TOTP_PERIOD_SECONDS, secret: OTPAuth.Secret.fromBase32(secretBase32) });
  const delta = totp.validate({ token, timestamp: now.getTime(), window: TOTP_WINDOW });
  if (delta === null) return null;
  const step = Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

/** AES-256-GCM: "v1.<iv>.<tag>.<ciphertext>", base64url. */
export function encryptSecret(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

/** Null when the value was not encrypted with this key (a rotated secret) or was altered. */
export function decryptSecret(key: Buffer, sealed: string): string | null {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !data) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** Ten codes of 80 random bits each, shown as xxxxx-xxxxx-xxxxx-xxxxx (base32, no look-alikes). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const s = new OTPAuth.Secret({ size: 10 }).base32.toLowerCase();
    return s.match(/.{1,4}/g)!.join("-");
  });
}

/** Recovery codes are random and long, so a plain SHA-256 is enough (no guessable input to slow down). */
export function hashRecoveryCode(code: string): string {
  return createHash("sha256").update(normaliseRecoveryCode(code)).digest("hex");
}

export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z2-7]/g, "");
}

export function looksLikeRecoveryCode(code: string): boolean {
  return normaliseRecoveryCode(code).length === 16;
}

export interface Ticket {
  /** the user */
  u: string;
  /** the user's session version when the password was verified: a reset or role change voids it */
  v: number;
  /** expiry, epoch ms */
  e: number;
}

/** Signed, not encrypted: it names a user id only. Lives in an httpOnly cookie for five minutes. */
export function signTicket(key: Buffer, ticket: Ticket): string {
  const body = Buffer.from(JSON.stringify(ticket)).toString("base64url");
  return `${body}.${createHmac("sha256", key).update(body).digest("base64url")}`;
}

export function readTicket(key: Buffer, value: string | undefined | null, now: Date = new Date()): Ticket | null {
  if (!value || value.length > 512) return null;
  const [body, sig] = value.split(".");
  if (!body || !sig) return null;
  const expected = createHmac("sha256", key).update(body).digest();
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const t = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Ticket;
    if (typeof t.u !== "string" || typeof t.v !== "number" || typeof t.e !== "number") return null;
    return t.e > now.getTime() ? t : null;
  } catch {
    return null;
  }
}
