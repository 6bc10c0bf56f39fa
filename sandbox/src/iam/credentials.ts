import { type SandboxState, userKey } from "../state.js";
import { sha256Hex } from "./ids.js";

export type Principal =
  | { type: "root"; userName?: undefined; arn: string; userId: string }
  | { type: "user"; userName: string; arn: string; userId: string }
  | {
      type: "assumed-role";
      roleName: string;
      sessionName: string;
      sourceIdentity?: string;
      arn: string;
      roleId: string;
      issuedAt: Date;
    };

export interface AccessKeyLookup {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
  principal: Principal;
}

/**
 * Resolves an access key id to its secret and principal: the built-in admin pair (the account
 * root), an active IAM user key, or temporary credentials from AssumeRole. Inactive keys and
 * keys of unknown ids return null (AWS answers both with InvalidClientTokenId). Expired
 * temporary credentials are returned with their expiration so the caller can say ExpiredToken.
 */
export function lookupAccessKey(state: SandboxState, accessKeyId: string): AccessKeyLookup | null {
  if (accessKeyId === state.adminAccessKeyId) {
    return {
      accessKeyId,
      secretAccessKey: state.adminSecretAccessKey,
      principal: { type: "root", arn: `arn:aws:iam::${state.accountId}:root`, userId: state.accountId },
    };
  }
  const key = state.accessKeys.get(accessKeyId);
  if (key) {
    const user = state.users.get(userKey(key.userName));
    if (!user || key.status !== "Active") return null;
    return {
      accessKeyId,
      secretAccessKey: key.secretAccessKey,
      principal: { type: "user", userName: user.userName, arn: user.arn, userId: user.userId },
    };
  }
  const session = state.sessions.get(accessKeyId);
  if (session) {
    return {
      accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
      expiration: new Date(session.expiration),
      principal: {
        type: "assumed-role",
        roleName: session.roleName,
        sessionName: session.sessionName,
        ...(session.sourceIdentity ? { sourceIdentity: session.sourceIdentity } : {}),
        arn: `arn:aws:sts::${state.accountId}:assumed-role/${session.roleName}/${session.sessionName}`,
        roleId: session.roleId,
        issuedAt: new Date(session.issuedAt),
      },
    };
  }
  return null;
}

export type BedrockKeyAuth =
  | { ok: true; userName: string; credentialId: string; userArn: string; userId: string }
  | { ok: false; reason: "malformed" | "unknown" | "inactive" | "expired" };

export const BEDROCK_SERVICE_NAME = "bedrock.amazonaws.com";

/** The alias AWS puts inside a long-term key: `<userName>-at-<accountId>`. */
export function bedrockAlias(state: SandboxState, userName: string): string {
  return `${userName}-at-${state.accountId}`;
}

/** `ABSK` + base64(`<alias>:<secret>`). */
export function encodeBedrockApiKey(alias: string, secret: string): string {
  return "ABSK" + Buffer.from(`${alias}:${secret}`, "utf8").toString("base64");
}

/**
 * Authenticates a long-term Bedrock API key (an IAM service-specific credential). Only a
 * SHA-256 of each key is kept, so lookup is one hash and one map access; a reset replaces
 * the hash, which is what makes the old key fail at once.
 */
export function authenticateBedrockApiKey(state: SandboxState, apiKey: string, now: Date): BedrockKeyAuth {
  if (!apiKey.startsWith("ABSK") || apiKey.length < 8) return { ok: false, reason: "malformed" };
  const body = apiKey.slice(4);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return { ok: false, reason: "malformed" };
  const decoded = Buffer.from(body, "base64").toString("utf8");
  const sep = decoded.indexOf(":");
  if (sep <= 0 || sep === decoded.length - 1 || !/-at-\d{12}$/.test(decoded.slice(0, sep))) {
    return { ok: false, reason: "malformed" };
  }
  const id = state.secretIndex.get(sha256Hex(apiKey));
  const cred = id ? state.serviceCredentials.get(id) : undefined;
  if (!cred || cred.serviceName !== BEDROCK_SERVICE_NAME) return { ok: false, reason: "unknown" };
  const user = state.users.get(userKey(cred.userName));
  if (!user) return { ok: false, reason: "unknown" };
  if (cred.expirationDate !== undefined && cred.expirationDate <= now.getTime()) return { ok: false, reason: "expired" };
  if (cred.status !== "Active") return { ok: false, reason: "inactive" };
  return { ok: true, userName: user.userName, credentialId: cred.id, userArn: user.arn, userId: user.userId };
}
