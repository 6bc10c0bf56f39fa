/**
 * Several AWS accounts in one sandbox (issue 14). Each account is a full SandboxState of its own
 * (IAM, STS sessions, CloudTrail, Bedrock runtime state); they share one `accounts` map, the
 * first being the organisation's management account. A request is handled in the account its
 * credentials belong to, as AWS does: the SigV4 access key id (long-term or a session's), a
 * Bedrock API key's secret, or a short-term Bedrock token's signing key. Unknown credentials
 * fall back to the management account, which refuses them as invalid.
 */
import { randomBytes } from "node:crypto";
import { parseShortTermToken } from "./bedrock/short-term-token.js";
import { lookupAccessKey } from "./iam/credentials.js";
import { sha256Hex } from "./iam/ids.js";
import { createState, type SandboxState } from "./state.js";

export function allAccounts(state: SandboxState): SandboxState[] {
  return [...state.accounts.values()];
}

/** The management account (the first one registered). */
export function managementAccount(state: SandboxState): SandboxState {
  return state.accounts.values().next().value ?? state;
}

/** The account an access key id (AKIA… or ASIA…) belongs to. */
export function accountOfAccessKey(state: SandboxState, accessKeyId: string): SandboxState | undefined {
  return allAccounts(state).find((s) => lookupAccessKey(s, accessKeyId) !== null);
}

const CREDENTIAL_RE = /Credential=([A-Z0-9]{16,128})\//;

/** Which account's state handles this request. */
export function accountForRequest(root: SandboxState, headers: Record<string, string | undefined>, query: URLSearchParams): SandboxState {
  if (root.accounts.size <= 1) return root;
  const auth = headers.authorization ?? "";
  const sigv4 = CREDENTIAL_RE.exec(auth)?.[1] ?? query.get("X-Amz-Credential")?.split("/")[0];
  if (sigv4) return accountOfAccessKey(root, sigv4) ?? root;
  // The Anthropic SDK sends an API key as x-api-key (bedrock-mantle accepts it there too).
  const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1] ?? headers["x-api-key"]?.trim();
  if (bearer?.startsWith("ABSK")) {
    const hash = sha256Hex(bearer);
    return allAccounts(root).find((s) => s.secretIndex.has(hash)) ?? root;
  }
  if (bearer) {
    const token = parseShortTermToken(bearer);
    if (token) return accountOfAccessKey(root, token.accessKeyId) ?? root;
  }
  return root;
}

export interface NewAccount {
  id: string;
  name: string;
  email?: string;
  /** Its administrator key (a restored account keeps its own); new ones get a random pair. */
  admin?: { accessKeyId: string; secretAccessKey: string };
}

/** A new, empty account in the organisation, with its own administrator key. */
export function createAccount(root: SandboxState, input: NewAccount): SandboxState {
  if (!/^\d{12}$/.test(input.id)) throw new Error("id must be a 12-digit account id");
  if (root.accounts.has(input.id)) throw new Error(`account ${input.id} already exists`);
  const account = createState({
    accountId: input.id,
    accounts: root.accounts,
    lookupEventsPerSecond: root.lookupEventsPerSecond,
    name: input.name,
    ...(input.email ? { email: input.email } : {}),
    admin: input.admin ?? {
      accessKeyId: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString("base64").replace(/[^A-Za-z0-9]/g, "A").slice(0, 40),
    },
  });
  // The same sandbox clock for every account.
  account.clockOffsetMs = root.clockOffsetMs;
  return account;
}
