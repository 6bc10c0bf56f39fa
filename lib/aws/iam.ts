import "server-only";
import {
  AttachUserPolicyCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserPolicyCommand,
  type IAMClient,
  ListAttachedUserPoliciesCommand,
  ListServiceSpecificCredentialsCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  TagUserCommand,
  PutUserPolicyCommand,
  ResetServiceSpecificCredentialCommand,
  type ServiceSpecificCredential,
  UpdateServiceSpecificCredentialCommand,
} from "@aws-sdk/client-iam";
import { callAws } from "./errors";
import {
  BEDROCK_SERVICE_NAME,
  type BedrockCredential,
  decodePolicyDocument,
  tagsToRecord,
  toBedrockCredential,
} from "./iam-mapping";

/**
 * IAM operations the key features use, one SDK call each (plus paging), returning domain shapes
 * and throwing AwsServiceError. The client is a parameter so tests can pass a sandbox client.
 */

/** IAM's largest page: 1,000 keys per ListServiceSpecificCredentials call. */
export const IAM_MAX_ITEMS = 1000;

export interface ListResult<T> {
  items: T[];
  /** IAM calls made (pages), for the inventory benchmark. */
  calls: number;
}

/** Follow IAM's Marker/IsTruncated paging: `fetch(marker)` returns one page's items. */
async function allPages<T>(fetch: (marker: string | undefined) => Promise<{ items: T[]; IsTruncated?: boolean; Marker?: string }>): Promise<ListResult<T>> {
  const items: T[] = [];
  let marker: string | undefined;
  let calls = 0;
  do {
    const page = await fetch(marker);
    calls++;
    items.push(...page.items);
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return { items, calls };
}

const markerParam = (marker: string | undefined) => (marker ? { Marker: marker } : {});

/** Every Bedrock key in the account (AllUsers) or of one user, following Marker. */
export function listBedrockCredentials(iam: IAMClient, now: Date, userName?: string): Promise<ListResult<BedrockCredential>> {
  return allPages(async (marker) => {
    const page = await callAws("iam", "ListServiceSpecificCredentials", () =>
      iam.send(
        new ListServiceSpecificCredentialsCommand({
          ServiceName: BEDROCK_SERVICE_NAME,
          ...(userName ? { UserName: userName } : { AllUsers: true }),
          MaxItems: IAM_MAX_ITEMS,
          ...markerParam(marker),
        }),
      ),
    );
    const items = (page.ServiceSpecificCredentials ?? []).map((m) => toBedrockCredential(m, now)).filter((c): c is BedrockCredential => c !== null);
    return { ...page, items };
  });
}

/** Names of the users under an IAM path (the console's own users live under KEY_IAM_PATH). */
export function listUserNamesUnderPath(iam: IAMClient, pathPrefix: string): Promise<ListResult<string>> {
  return allPages(async (marker) => {
    const page = await callAws("iam", "ListUsers", () =>
      iam.send(new ListUsersCommand({ PathPrefix: pathPrefix, MaxItems: IAM_MAX_ITEMS, ...markerParam(marker) })),
    );
    return { ...page, items: (page.Users ?? []).flatMap((u) => (u.UserName ? [u.UserName] : [])) };
  });
}

export async function listUserTags(iam: IAMClient, userName: string): Promise<Record<string, string>> {
  const out = await callAws("iam", "ListUserTags", () => iam.send(new ListUserTagsCommand({ UserName: userName, MaxItems: 50 })));
  return tagsToRecord(out.Tags);
}

/** Replace (or add) tags on a user: an edited key's owner, team, purpose and name (issue 16). */
export async function tagUser(iam: IAMClient, userName: string, tags: Record<string, string>): Promise<void> {
  await callAws("iam", "TagUser", () => iam.send(new TagUserCommand({ UserName: userName, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) })));
}

export async function createUser(
  iam: IAMClient,
  input: { userName: string; path: string; tags: Record<string, string>; permissionsBoundary?: string },
) {
  const out = await callAws("iam", "CreateUser", () =>
    iam.send(
      new CreateUserCommand({
        UserName: input.userName,
        Path: input.path,
        ...(input.permissionsBoundary ? { PermissionsBoundary: input.permissionsBoundary } : {}),
        Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    ),
  );
  return { arn: out.User?.Arn ?? null };
}

export async function deleteUser(iam: IAMClient, userName: string): Promise<void> {
  await callAws("iam", "DeleteUser", () => iam.send(new DeleteUserCommand({ UserName: userName })));
}

export async function attachUserPolicy(iam: IAMClient, userName: string, policyArn: string): Promise<void> {
  await callAws("iam", "AttachUserPolicy", () => iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn })));
}

export async function detachUserPolicy(iam: IAMClient, userName: string, policyArn: string): Promise<void> {
  await callAws("iam", "DetachUserPolicy", () => iam.send(new DetachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn })));
}

export async function listAttachedUserPolicyArns(iam: IAMClient, userName: string): Promise<string[]> {
  const out = await allPages(async (marker) => {
    const page = await callAws("iam", "ListAttachedUserPolicies", () =>
      iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName, ...markerParam(marker) })),
    );
    return { ...page, items: (page.AttachedPolicies ?? []).flatMap((p) => (p.PolicyArn ? [p.PolicyArn] : [])) };
  });
  return out.items;
}

export async function putUserPolicy(iam: IAMClient, userName: string, policyName: string, document: string): Promise<void> {
  await callAws("iam", "PutUserPolicy", () =>
    iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: policyName, PolicyDocument: document })),
  );
}

export async function deleteUserPolicy(iam: IAMClient, userName: string, policyName: string): Promise<void> {
  await callAws("iam", "DeleteUserPolicy", () => iam.send(new DeleteUserPolicyCommand({ UserName: userName, PolicyName: policyName })));
}

export async function listUserPolicyNames(iam: IAMClient, userName: string): Promise<string[]> {
  const out = await allPages(async (marker) => {
    const page = await callAws("iam", "ListUserPolicies", () => iam.send(new ListUserPoliciesCommand({ UserName: userName, ...markerParam(marker) })));
    return { ...page, items: page.PolicyNames ?? [] };
  });
  return out.items;
}

/** The inline policy's JSON text (decoded), or null when IAM returns nothing readable. */
export async function getUserPolicyDocument(iam: IAMClient, userName: string, policyName: string): Promise<string | null> {
  const out = await callAws("iam", "GetUserPolicy", () => iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: policyName })));
  return decodePolicyDocument(out.PolicyDocument);
}

/** A managed policy's current document (its default version), decoded; null when IAM returns none. */
export async function getManagedPolicyDocument(iam: IAMClient, policyArn: string): Promise<string | null> {
  const policy = await callAws("iam", "GetPolicy", () => iam.send(new GetPolicyCommand({ PolicyArn: policyArn })));
  const versionId = policy.Policy?.DefaultVersionId;
  if (!versionId) return null;
  const version = await callAws("iam", "GetPolicyVersion", () => iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId })));
  return decodePolicyDocument(version.PolicyVersion?.Document);
}

/** A credential with the secret IAM returns only from create and reset. */
export interface IssuedCredential {
  credential: BedrockCredential;
  /** `ServiceCredentialSecret`: handed to the caller once, never stored, logged or audited. */
  secret: string;
}

function issued(raw: ServiceSpecificCredential | undefined, operation: string, now: Date): IssuedCredential {
  const credential = raw
    ? toBedrockCredential({ ...raw, ServiceName: raw.ServiceName ?? BEDROCK_SERVICE_NAME }, now)
    : null;
  const secret = raw?.ServiceCredentialSecret;
  // A success response without a secret would leave the person with an unusable key: treat it as
  // a failure so issuance rolls back instead of showing an empty reveal.
  if (!credential || !secret) throw new Error(`${operation} returned no credential secret`);
  return { credential, secret };
}

export async function createBedrockCredential(iam: IAMClient, userName: string, ageDays: number | null, now: Date): Promise<IssuedCredential> {
  const out = await callAws("iam", "CreateServiceSpecificCredential", () =>
    iam.send(
      new CreateServiceSpecificCredentialCommand({
        UserName: userName,
        ServiceName: BEDROCK_SERVICE_NAME,
        ...(ageDays !== null ? { CredentialAgeDays: ageDays } : {}),
      }),
    ),
  );
  return issued(out.ServiceSpecificCredential, "CreateServiceSpecificCredential", now);
}

export async function resetBedrockCredential(iam: IAMClient, userName: string, credentialId: string, now: Date): Promise<IssuedCredential> {
  const out = await callAws("iam", "ResetServiceSpecificCredential", () =>
    iam.send(new ResetServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: credentialId })),
  );
  return issued(out.ServiceSpecificCredential, "ResetServiceSpecificCredential", now);
}

export async function setCredentialStatus(iam: IAMClient, userName: string, credentialId: string, status: "Active" | "Inactive") {
  await callAws("iam", "UpdateServiceSpecificCredential", () =>
    iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: credentialId, Status: status })),
  );
}

export async function deleteCredential(iam: IAMClient, userName: string, credentialId: string): Promise<void> {
  await callAws("iam", "DeleteServiceSpecificCredential", () =>
    iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: credentialId })),
  );
}
