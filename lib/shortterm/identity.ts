import { createHash } from "node:crypto";

/** STS's rules for SourceIdentity and RoleSessionName: 2–64 characters of [\w+=,.@-]. */
const MAX = 64;
const DISALLOWED = /[^\w+=,.@-]/g;

/**
 * The person behind a role session, as STS and CloudTrail will show it, and what per-person
 * revocation matches on (aws:SourceIdentity). It reads `<email>+<user id>`:
 * - the email (lower-cased, disallowed characters replaced, shortened if need be) so CloudTrail
 *   shows someone a human recognises;
 * - the console's user id after the last "+", which makes it unique: cleaning the email alone
 *   mapped `o'brien@…` and `o-brien@…` to one identity, and revoking one person revoked both.
 *   User ids (cuid) never contain "+", so the part after the last "+" names exactly one user
 *   whatever the email part looks like.
 * It is stable for a user (the id never changes; an email change starts a new identity, and
 * revocation also covers the identities their unexpired keys were issued under).
 */
export function sourceIdentityFor(user: { id: string; email: string }): string {
  const idPart = /^[\w=,.@-]{1,40}$/.test(user.id) ? user.id : `h${createHash("sha256").update(user.id).digest("hex").slice(0, 24)}`;
  const room = MAX - idPart.length - 1;
  const emailPart = user.email.trim().toLowerCase().replace(DISALLOWED, "-").slice(0, room);
  return `${emailPart}+${idPart}`;
}

/**
 * The identity the console used before user ids were part of it (email only). Keys issued then
 * still carry it until they expire (12 h at most); revocation covers them through the issuance
 * records, which keep the identity the session really had.
 */
export function legacySourceIdentityFor(email: string): string {
  const cleaned = email.trim().toLowerCase().replace(DISALLOWED, "-");
  if (cleaned.length >= 2 && cleaned.length <= MAX) return cleaned;
  const hash = createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 12);
  return `${cleaned.slice(0, 51)}-${hash}`.replace(/^-/, "u");
}
