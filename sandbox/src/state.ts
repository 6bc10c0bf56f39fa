import { EventStore } from "./cloudtrail/store.js";
import type { FaultRule } from "./control/faults.js";

/** The one account the sandbox emulates. */
export const ACCOUNT_ID = "123456789012";
export const DEFAULT_REGION = "us-east-1";
/** AWS's documented example key pair, used as the account's administrator (allowed everything). */
export const ADMIN_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
export const ADMIN_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
export const DEFAULT_LOOKUP_EVENTS_RPS = 2;

export interface Tag {
  Key: string;
  Value: string;
}

export interface IamUser {
  userName: string;
  userId: string;
  path: string;
  arn: string;
  createDate: number;
  tags: Tag[];
  /** ARNs of attached managed policies, in attachment order. */
  attachedPolicies: string[];
  /** Inline policies: name → the document exactly as the caller sent it (URL-decoded). */
  inlinePolicies: Record<string, string>;
  /** A console password (CreateLoginProfile); the password itself is not kept. */
  loginProfile?: { createDate: number; passwordResetRequired: boolean };
  /** MFA devices enabled for the user (EnableMFADevice), in enabling order. */
  mfaDevices?: { serialNumber: string; enableDate: number }[];
}

export interface IamRole {
  roleName: string;
  roleId: string;
  path: string;
  arn: string;
  createDate: number;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  tags: Tag[];
  attachedPolicies: string[];
  inlinePolicies: Record<string, string>;
}

export interface AccessKeyRecord {
  accessKeyId: string;
  /** Kept in clear because SigV4 verification needs it (HMAC, not a hash comparison). */
  secretAccessKey: string;
  userName: string;
  status: "Active" | "Inactive";
  createDate: number;
}

export interface ServiceCredentialRecord {
  id: string;
  userName: string;
  serviceName: string;
  /** The stored status; `Expired` is derived from expirationDate and the sandbox clock. */
  status: "Active" | "Inactive";
  createDate: number;
  expirationDate?: number;
  /** Bedrock-style credentials: alias + secret (only a SHA-256 of the secret is kept). */
  alias?: string;
  secretHash?: string;
  /** CodeCommit/Keyspaces-style credentials: user name + password (hash kept). */
  serviceUserName?: string;
  passwordHash?: string;
}

export interface SessionRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: number;
  issuedAt: number;
  roleName: string;
  roleId: string;
  roleArn: string;
  sessionName: string;
  sourceIdentity?: string;
  /** ARN of the principal that called AssumeRole (for CloudTrail and role chaining). */
  sourceArn: string;
}

export interface SandboxState {
  accountId: string;
  /** This account's administrator key (the account root: allowed everything). */
  adminAccessKeyId: string;
  adminSecretAccessKey: string;
  /**
   * Every account the sandbox emulates, by id, shared by all of them (this one included): the
   * first is the organisation's management account. See sandbox/src/accounts.ts.
   */
  accounts: Map<string, SandboxState>;
  /** The account as AWS Organizations lists it. */
  org: { name: string; email: string; state: "ACTIVE" | "SUSPENDED"; member: boolean; joined: number };
  clockOffsetMs: number;
  users: Map<string, IamUser>; // key: lower-cased name (IAM names are case-insensitively unique)
  roles: Map<string, IamRole>;
  accessKeys: Map<string, AccessKeyRecord>;
  serviceCredentials: Map<string, ServiceCredentialRecord>;
  /** SHA-256 of a service credential secret → credential id, for O(1) bearer authentication. */
  secretIndex: Map<string, string>;
  sessions: Map<string, SessionRecord>;
  events: EventStore;
  faults: FaultRule[];
  lookupEventsPerSecond: number;
  throttleBuckets: Map<string, { tokens: number; lastMs: number }>;
  /** Tests only: buckets stop refilling, so a throttling assertion does not depend on timing. */
  lookupRefillPaused?: boolean;
  /** Free-form per-module state (e.g. the Bedrock runtime half); reset clears it. */
  extensions: Record<string, unknown>;
  /** Called after every mutation of entities; persistence debounces writes on it. */
  onChange?: () => void;
  /** Called after events are recorded; persistence appends them. */
  onEvents?: (region: string, json: string[]) => void;
  /** Sorted lists for paging, rebuilt lazily after any change (see markChanged). */
  sortedUsersCache?: IamUser[];
  sortedCredentialsCache?: ServiceCredentialRecord[];
}

export function createState(
  opts: { lookupEventsPerSecond?: number; accountId?: string; admin?: { accessKeyId: string; secretAccessKey: string }; accounts?: Map<string, SandboxState>; name?: string; email?: string } = {},
): SandboxState {
  const accountId = opts.accountId ?? ACCOUNT_ID;
  const state: SandboxState = {
    accountId,
    adminAccessKeyId: opts.admin?.accessKeyId ?? ADMIN_ACCESS_KEY_ID,
    adminSecretAccessKey: opts.admin?.secretAccessKey ?? ADMIN_SECRET_ACCESS_KEY,
    accounts: opts.accounts ?? new Map(),
    org: { name: opts.name ?? "Management", email: opts.email ?? `aws+${accountId}@example.com`, state: "ACTIVE", member: true, joined: Date.now() },
    clockOffsetMs: 0,
    users: new Map(),
    roles: new Map(),
    accessKeys: new Map(),
    serviceCredentials: new Map(),
    secretIndex: new Map(),
    sessions: new Map(),
    events: new EventStore(),
    faults: [],
    lookupEventsPerSecond: opts.lookupEventsPerSecond ?? DEFAULT_LOOKUP_EVENTS_RPS,
    throttleBuckets: new Map(),
    extensions: {},
  };
  state.accounts.set(accountId, state);
  return state;
}

/** Back to a fresh account, keeping hooks and the configured throttle rate. */
export function resetState(state: SandboxState): void {
  // Back to one account: the management account, fresh (the other accounts are dropped).
  const fresh = createState({ lookupEventsPerSecond: state.lookupEventsPerSecond });
  const { onChange, onEvents } = state;
  Object.assign(state, fresh, { onChange, onEvents, accounts: new Map([[fresh.accountId, state]]) });
  state.sortedUsersCache = undefined;
  state.sortedCredentialsCache = undefined;
  onChange?.();
}

export function markChanged(state: SandboxState): void {
  state.sortedUsersCache = undefined;
  state.sortedCredentialsCache = undefined;
  state.onChange?.();
}

export function userKey(name: string): string {
  return name.toLowerCase();
}
