import type { IAMClient } from "@aws-sdk/client-iam";
import { auditListSelect } from "@/lib/audit/queries";
import { AwsServiceError, isAwsKind } from "@/lib/aws/errors";
import { getManagedPolicyDocument, getUserPolicyDocument, listAttachedUserPolicyArns, listUserPolicyNames } from "@/lib/aws/iam";
import { policyNameFromArn } from "@/lib/aws/iam-mapping";
import { type KeyListItem, listSelect, toListItem } from "./queries";
import { readRestrictions, type ReadablePolicy } from "./restriction-policy";
import { findKeyInScope, keyReadScope } from "./scope";
import { parseKeySettings, type KeySettings } from "./settings";
import { iamOf, KEY_TARGET, type KeyActor, type KeyDeps } from "./types";

export type KeyPolicies =
  | {
      ok: true;
      /** Attached managed policy names, e.g. AmazonBedrockLimitedAccess. */
      managed: string[];
      /** Inline policy names. */
      inline: string[];
      /** The inline policies read back: allowed models, source ranges, not-after date. */
      readable: ReadablePolicy;
      /** The documents themselves, formatted, as the AWS console shows them; json null when IAM would not say. */
      documents: PolicyDocument[];
    }
  /** IAM could not be read (the page still renders; the message key says why). */
  | { ok: false; error: string; params: Record<string, string | number> };

export interface PolicyDocument {
  name: string;
  kind: "managed" | "inline";
  json: string | null;
}

/** Indented JSON for reading; the text as IAM returned it when it is not JSON. */
function formatDocument(text: string | null): string | null {
  if (text === null) return null;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/**
 * A managed policy's document, or null when it cannot be read (e.g. the console's identity lacks
 * iam:GetPolicy): the page still shows the policy's name and the readable summary.
 */
async function managedDocument(iam: IAMClient, arn: string): Promise<string | null> {
  try {
    return formatDocument(await getManagedPolicyDocument(iam, arn));
  } catch (error) {
    if (error instanceof AwsServiceError) return null;
    throw error;
  }
}

export interface KeyDetail {
  /** request: the key request (issue 6) this key was picked up for, if any. */
  key: KeyListItem & {
    consoleUser: boolean;
    settings: KeySettings;
    request: { id: string; label: string } | null;
    /** The key's IAM user is still to be deleted (its deletion's clean-up failed): retried until done. */
    cleanup: { since: string; attempts: number; lastError: string | null } | null;
  };
  policies: KeyPolicies | null;
  history: {
    id: number;
    createdAt: string;
    actorEmail: string | null;
    action: string;
    /** The key's name when the entry was written (it may have been renamed since). */
    targetLabel: string | null;
    result: string;
    details: string;
  }[];
}

/**
 * The key page: the record (scoped; outside the scope → "not found"), its policies read live from
 * IAM (for keys that still exist), and the key's audit history, newest first.
 */
export async function getKeyDetail(deps: KeyDeps, actor: KeyActor, keyId: string, historyLimit = 50): Promise<KeyDetail> {
  const row = await findKeyInScope(deps.db, keyId, keyReadScope(actor));
  const full = await deps.db.apiKey.findUniqueOrThrow({ where: { id: row.id }, select: listSelect });
  const now = deps.now();
  const [policies, history, request, cleanup] = await Promise.all([
    row.state === "present" ? readPolicies(deps, row.iamUserName, row.accountId) : Promise.resolve(null),
    deps.db.auditEntry.findMany({
      where: { targetType: KEY_TARGET, targetId: row.id },
      orderBy: { id: "desc" },
      take: historyLimit,
      select: auditListSelect,
    }),
    deps.db.keyRequest.findUnique({ where: { apiKeyId: row.id }, select: { id: true, keyName: true, purpose: true } }),
    deps.db.keyCleanup.findFirst({ where: { apiKeyId: row.id }, select: { since: true, attempts: true, lastError: true } }),
  ]);
  return {
    key: {
      ...toListItem(actor, full, now),
      consoleUser: row.consoleUser,
      settings: parseKeySettings(row.settings),
      request: request ? { id: request.id, label: request.keyName || request.purpose } : null,
      cleanup: cleanup ? { since: cleanup.since.toISOString(), attempts: cleanup.attempts, lastError: cleanup.lastError } : null,
    },
    policies,
    history: history.map((h) => ({
      id: h.id,
      createdAt: h.createdAt.toISOString(),
      actorEmail: h.actorEmail,
      action: h.action,
      targetLabel: h.targetLabel,
      result: h.result,
      details: h.details,
    })),
  };
}

export async function readPolicies(deps: Pick<KeyDeps, "iam" | "iamFor">, userName: string, accountId: string | null = null): Promise<KeyPolicies> {
  try {
    // The key's own account (issue 14).
    const iam = await iamOf(deps, accountId);
    const [attached, inlineNames] = await Promise.all([listAttachedUserPolicyArns(iam, userName), listUserPolicyNames(iam, userName)]);
    const [documents, managedDocuments] = await Promise.all([
      Promise.all(inlineNames.map((n) => getUserPolicyDocument(iam, userName, n))),
      Promise.all(attached.map((arn) => managedDocument(iam, arn))),
    ]);
    return {
      ok: true,
      managed: attached.map(policyNameFromArn),
      inline: inlineNames,
      readable: readRestrictions(documents.filter((d): d is string => d !== null)),
      documents: [
        ...attached.map((arn, i) => ({ name: policyNameFromArn(arn), kind: "managed" as const, json: managedDocuments[i] ?? null })),
        ...inlineNames.map((name, i) => ({ name, kind: "inline" as const, json: formatDocument(documents[i] ?? null) })),
      ],
    };
  } catch (error) {
    if (isAwsKind(error, "NotFound")) return { ok: false, error: "keys.goneOutside", params: { name: userName } };
    if (error instanceof AwsServiceError) return { ok: false, error: error.code, params: error.params };
    throw error;
  }
}
