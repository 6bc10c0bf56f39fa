/**
 * The callers of generated traffic. Given keys are used as they are; otherwise the generator
 * makes "unmanaged" keys through the IAM API the way the AWS console does (a `BedrockAPIKey-xxxx`
 * user with AmazonBedrockLimitedAccess and one Bedrock credential), plus a role that people
 * assume (with SourceIdentity) to sign short-term keys — so the console has both kinds to show.
 */
import {
  AttachUserPolicyCommand,
  CreateRoleCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  GetRoleCommand,
  type IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { ipPool, USER_AGENTS } from "./profiles.js";
import type { Rng } from "./rng.js";

export const LIMITED_ACCESS = "arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess";
export const SIGNER_ROLE = "BedrockShortTermKeySigner";
export const PEOPLE = ["alice", "bob", "carol"];

export interface TrafficCaller {
  label: string;
  kind: "long-term" | "short-term";
  apiKey?: string;
  userName?: string;
  credentialId?: string;
  /** Short-term: who assumes the signer role. */
  person?: string;
  roleArn?: string;
  /** Asks for models outside this now and then, and is denied by its inline policy. */
  onlyModels?: RegExp;
  /** Share of calls that try a model outside onlyModels (default 0.3). */
  strayShare?: number;
  /** The key is disabled at this instant (and its owner keeps trying). */
  disableAtMs?: number;
  /** Makes no calls before this instant (its key did not exist yet). */
  activeFrom?: number;
  /** Endpoint regions this caller uses, by share (default: the general mix). */
  regions?: readonly (readonly [string, number])[];
  ips: string[];
  userAgent: string;
  weight: number;
}

/** A long-term key handed to the generator, with optional hints about how its holder uses it. */
export interface GivenKey {
  apiKey: string;
  /** How the caller is named in the summary (default given-N). Never the key itself. */
  label?: string;
  weight?: number;
  /** Mostly asks for models matching this (e.g. what its restriction policy allows). */
  onlyModels?: RegExp;
  strayShare?: number;
  /** Source addresses (e.g. inside the key's allowed CIDR); a few calls still come from elsewhere. */
  ips?: string[];
  regions?: readonly (readonly [string, number])[];
  activeFrom?: number;
}

/** People who sign short-term keys with an existing role (SourceIdentity = person). */
export interface GivenSigner {
  person: string;
  roleArn: string;
  weight?: number;
  activeFrom?: number;
}

export function givenCallers(rng: Rng, keys: readonly (string | GivenKey)[]): TrafficCaller[] {
  return keys.map((key, i) => {
    const given: GivenKey = typeof key === "string" ? { apiKey: key } : key;
    const ips = ipPool(rng, rng.int(1, 3));
    const userAgent = rng.weighted(USER_AGENTS);
    const weight = rng.int(2, 6);
    return {
      label: given.label ?? `given-${i + 1}`,
      kind: "long-term" as const,
      apiKey: given.apiKey,
      ...(given.onlyModels ? { onlyModels: given.onlyModels } : {}),
      ...(given.strayShare !== undefined ? { strayShare: given.strayShare } : {}),
      ...(given.activeFrom !== undefined ? { activeFrom: given.activeFrom } : {}),
      ...(given.regions ? { regions: given.regions } : {}),
      ips: given.ips ?? ips,
      userAgent,
      weight: given.weight ?? weight,
    };
  });
}

export function signerCallers(rng: Rng, signers: readonly GivenSigner[]): TrafficCaller[] {
  return signers.map((s) => {
    const ips = ipPool(rng, rng.int(1, 2));
    const userAgent = rng.weighted(USER_AGENTS);
    const weight = rng.int(2, 5);
    return {
      label: `${s.roleArn.split("/").pop()}/${s.person}`,
      kind: "short-term" as const,
      person: s.person,
      roleArn: s.roleArn,
      ...(s.activeFrom !== undefined ? { activeFrom: s.activeFrom } : {}),
      ips,
      userAgent,
      weight: s.weight ?? weight,
    };
  });
}

/**
 * Creates `count` console-style key users (at whatever the sandbox clock says) and the signer
 * role. One key is restricted to Nova models by an inline Deny; one is disabled part-way.
 */
export async function createUnmanagedCallers(
  iam: IAMClient,
  rng: Rng,
  count: number,
  window: { from: number; to: number },
): Promise<TrafficCaller[]> {
  const callers: TrafficCaller[] = [];
  for (let i = 0; i < count; i += 1) {
    const userName = await createUniqueUser(iam, rng);
    await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: LIMITED_ACCESS }));
    const restricted = i === 1;
    if (restricted) {
      const onlyNova = {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "OnlyNovaModels",
            Effect: "Deny",
            Action: "bedrock:InvokeModel*",
            NotResource: ["arn:aws:bedrock:*::foundation-model/amazon.nova-*", "arn:aws:bedrock:*:*:inference-profile/*.amazon.nova-*"],
          },
        ],
      };
      await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: "OnlyNovaModels", PolicyDocument: JSON.stringify(onlyNova) }));
    }
    const created = await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: userName, ServiceName: "bedrock.amazonaws.com" }));
    const cred = created.ServiceSpecificCredential!;
    callers.push({
      label: userName,
      kind: "long-term",
      apiKey: cred.ServiceCredentialSecret!,
      userName,
      credentialId: cred.ServiceSpecificCredentialId!,
      ...(restricted ? { onlyModels: /nova/ } : {}),
      ...(i === 2 ? { disableAtMs: window.from + Math.floor((window.to - window.from) * 0.7) } : {}),
      ips: ipPool(rng, rng.int(1, 3)),
      userAgent: rng.weighted(USER_AGENTS),
      weight: i === 0 ? 8 : rng.int(2, 6),
    });
  }
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] }],
  };
  // A second run against the same sandbox reuses the role.
  const role = await iam
    .send(new CreateRoleCommand({ RoleName: SIGNER_ROLE, AssumeRolePolicyDocument: JSON.stringify(trust) }))
    .catch(async (e: unknown) => {
      if (!alreadyExists(e)) throw e;
      return iam.send(new GetRoleCommand({ RoleName: SIGNER_ROLE }));
    });
  const allow = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["bedrock:CallWithBearerToken", "bedrock:InvokeModel*"], Resource: "*" }] };
  await iam.send(new PutRolePolicyCommand({ RoleName: SIGNER_ROLE, PolicyName: "BedrockInvoke", PolicyDocument: JSON.stringify(allow) }));
  for (const person of PEOPLE) {
    callers.push({
      label: `${SIGNER_ROLE}/${person}`,
      kind: "short-term",
      person,
      roleArn: role.Role!.Arn!,
      ips: ipPool(rng, rng.int(1, 2)),
      userAgent: rng.weighted(USER_AGENTS),
      weight: rng.int(2, 5),
    });
  }
  return callers;
}

/** `BedrockAPIKey-xxxx`, as the console names them; drawn again if the name is taken. */
async function createUniqueUser(iam: IAMClient, rng: Rng): Promise<string> {
  for (let attempt = 0; ; attempt += 1) {
    const userName = `BedrockAPIKey-${rng.chars("abcdefghijklmnopqrstuvwxyz0123456789", 4)}`;
    try {
      await iam.send(new CreateUserCommand({ UserName: userName }));
      return userName;
    } catch (e) {
      if (!alreadyExists(e) || attempt >= 20) throw e;
    }
  }
}

/** IAM's EntityAlreadyExists: SDK v3 names the exception class `EntityAlreadyExistsException`. */
function alreadyExists(e: unknown): boolean {
  const name = (e as { name?: string }).name;
  return name === "EntityAlreadyExists" || name === "EntityAlreadyExistsException";
}
