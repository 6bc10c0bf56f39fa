import type { ServiceSpecificCredentialMetadata } from "@aws-sdk/client-iam";

/** Pure mapping from IAM's shapes to the console's. No SDK calls here: unit-tested on its own. */

export const BEDROCK_SERVICE_NAME = "bedrock.amazonaws.com";
export const AWS_MANAGED_POLICY_PREFIX = "arn:aws:iam::aws:policy/";
export const BEDROCK_LIMITED_ACCESS = "AmazonBedrockLimitedAccess";

export type KeyStatus = "Active" | "Inactive" | "Expired";
export const KEY_STATUSES = ["Active", "Inactive", "Expired"] as const satisfies readonly KeyStatus[];

/** A Bedrock long-term API key as IAM lists it (never a secret). */
export interface BedrockCredential {
  credentialId: string;
  userName: string;
  status: KeyStatus;
  createdAt: Date;
  expiresAt: Date | null;
}

/**
 * IAM reports `Expired` itself, but a key can pass its expiry between two refreshes: a key whose
 * expiration date is past is Expired whatever the stored status says.
 */
export function effectiveStatus(status: string | undefined, expiresAt: Date | null | undefined, now: Date): KeyStatus {
  if (expiresAt && expiresAt.getTime() <= now.getTime()) return "Expired";
  if (status === "Inactive" || status === "Expired") return status;
  return "Active";
}

/** null for entries that are not Bedrock keys or lack the fields every key has. */
export function toBedrockCredential(meta: ServiceSpecificCredentialMetadata, now: Date): BedrockCredential | null {
  if (meta.ServiceName !== BEDROCK_SERVICE_NAME) return null;
  if (!meta.ServiceSpecificCredentialId || !meta.UserName || !meta.CreateDate) return null;
  const expiresAt = meta.ExpirationDate ? new Date(meta.ExpirationDate) : null;
  return {
    credentialId: meta.ServiceSpecificCredentialId,
    userName: meta.UserName,
    status: effectiveStatus(meta.Status, expiresAt, now),
    createdAt: new Date(meta.CreateDate),
    expiresAt,
  };
}

/** IAM returns policy documents URL-encoded (RFC 3986); the SDK passes them through as is. */
export function decodePolicyDocument(document: string | undefined): string | null {
  if (!document) return null;
  const trimmed = document.trim();
  if (trimmed.startsWith("{")) return trimmed;
  try {
    return decodeURIComponent(trimmed);
  } catch {
    return null;
  }
}

export function managedPolicyArn(name: string): string {
  return `${AWS_MANAGED_POLICY_PREFIX}${name}`;
}

/** `arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess` → `AmazonBedrockLimitedAccess`; other ARNs unchanged. */
export function policyNameFromArn(arn: string): string {
  return arn.startsWith(AWS_MANAGED_POLICY_PREFIX) ? arn.slice(AWS_MANAGED_POLICY_PREFIX.length).replace(/^.*\//, "") : arn;
}

/** Tags as a plain record. */
export function tagsToRecord(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key) out[t.Key] = t.Value ?? "";
  return out;
}

// IAM tag values: letters, numbers, spaces and _ . : / = + - @, at most 256 characters.
const TAG_VALUE_DISALLOWED = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu;

/** Make any text a valid IAM tag value (the original stays in the database). */
export function toTagValue(value: string): string {
  return value.replace(TAG_VALUE_DISALLOWED, "_").slice(0, 256);
}
