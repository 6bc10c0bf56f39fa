import type { UserDetail } from "@aws-sdk/client-iam";
import { decodePolicyDocument } from "./iam-mapping";

/** Pure mapping of the posture reads (GetAccountAuthorizationDetails, the credential report). */

export interface AccountUser {
  userName: string;
  path: string;
  createdAt: Date | null;
  inline: { name: string; document: string }[];
  attached: { name: string; arn: string }[];
  groups: string[];
}

export function toAccountUser(u: UserDetail): AccountUser | null {
  if (!u.UserName) return null;
  return {
    userName: u.UserName,
    path: u.Path ?? "/",
    createdAt: u.CreateDate ? new Date(u.CreateDate) : null,
    inline: (u.UserPolicyList ?? []).flatMap((p) => (p.PolicyName ? [{ name: p.PolicyName, document: decodePolicyDocument(p.PolicyDocument) ?? "" }] : [])),
    attached: (u.AttachedManagedPolicies ?? []).flatMap((p) => (p.PolicyArn ? [{ name: p.PolicyName ?? p.PolicyArn, arn: p.PolicyArn }] : [])),
    groups: u.GroupList ?? [],
  };
}

export interface CredentialReportRow {
  user: string;
  passwordEnabled: boolean;
  mfaActive: boolean;
  /** Access keys present (active or not): either is a way into the account. */
  accessKeys: number;
}

const COLUMNS = 22;

/**
 * IAM's credential report CSV (22 columns, no quoting). User names may contain commas, and the
 * ARN repeats the name, so a row with 2k extra commas carries k of them in each of the two.
 */
export function parseCredentialReport(csv: string): CredentialReportRow[] {
  const lines = csv.split(/\r?\n/).filter(Boolean);
  const header = lines.shift()?.split(",") ?? [];
  const col = (name: string) => header.indexOf(name) - 2;
  const idx = { pw: col("password_enabled"), mfa: col("mfa_active"), k1: col("access_key_1_last_rotated"), k2: col("access_key_2_last_rotated") };
  const rows: CredentialReportRow[] = [];
  for (const line of lines) {
    const parts = line.split(",");
    const extra = Math.max(0, parts.length - COLUMNS);
    const k = extra / 2;
    const user = parts.slice(0, 1 + k).join(",");
    if (user === "<root_account>") continue;
    const rest = parts.slice(2 + extra); // after user and arn
    const present = (i: number) => rest[i] !== undefined && rest[i] !== "N/A" && rest[i] !== "";
    rows.push({
      user,
      passwordEnabled: rest[idx.pw] === "true",
      mfaActive: rest[idx.mfa] === "true",
      accessKeys: (present(idx.k1) ? 1 : 0) + (present(idx.k2) ? 1 : 0),
    });
  }
  return rows;
}
