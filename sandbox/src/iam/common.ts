import type { ResourceRef } from "../cloudtrail/store.js";
import { AwsError, type ApiCall } from "../http.js";
import { type IamRole, type IamUser, type SandboxState, type Tag, userKey } from "../state.js";
import type { XmlValue } from "../xml.js";
import type { Validator } from "./validation.js";

export interface OperationResult {
  result: Record<string, XmlValue> | null;
  /** Resources CloudTrail's LookupEvents shows for the event. */
  resources?: ResourceRef[];
  /** CloudTrail responseElements; omitted = derived from the result (secrets removed). */
  responseElements?: Record<string, unknown> | null;
}

export interface Operation {
  readOnly: boolean;
  run(call: ApiCall): OperationResult;
}

export const USER_RESOURCE = "AWS::IAM::User";
export const ROLE_RESOURCE = "AWS::IAM::Role";
export const POLICY_RESOURCE = "AWS::IAM::Policy";
export const ACCESS_KEY_RESOURCE = "AWS::IAM::AccessKey";

export function noSuchUser(name: string): AwsError {
  return new AwsError("NoSuchEntity", `The user with name ${name} cannot be found.`, 404);
}

export function getUser(state: SandboxState, name: string): IamUser {
  const user = state.users.get(userKey(name));
  if (!user) throw noSuchUser(name);
  return user;
}

export function getRole(state: SandboxState, name: string): IamRole {
  const role = state.roles.get(userKey(name));
  if (!role) throw new AwsError("NoSuchEntity", `The role with name ${name} cannot be found.`, 404);
  return role;
}

/**
 * Operations whose UserName is optional act on the caller's own user. Root and role sessions
 * have no IAM user, so AWS refuses them with this ValidationError.
 */
export function resolveUserName(call: ApiCall, given: string | undefined): string {
  if (given !== undefined) return given;
  if (call.principal.type === "user") return call.principal.userName;
  throw new AwsError("ValidationError", "Must specify userName when calling with non-User credentials", 400);
}

export function userXml(u: IamUser, withTags: boolean): Record<string, XmlValue> {
  return {
    Path: u.path,
    UserName: u.userName,
    UserId: u.userId,
    Arn: u.arn,
    CreateDate: new Date(u.createDate),
    ...(withTags && u.tags.length > 0 ? { Tags: u.tags.map((t) => ({ Key: t.Key, Value: t.Value })) } : {}),
  };
}

/** Tags from `Tags.member.N.Key/Value`, validated as IAM does (≤ 50, key 1–128, value ≤ 256). */
export function validateTags(v: Validator, raw: Array<Record<string, string>>, field = "tags"): Tag[] {
  const tags: Tag[] = [];
  raw.forEach((t, i) => {
    const key = v.required(t.Key, `${field}.${i + 1}.member.key`);
    v.length(t.Key, `${field}.${i + 1}.member.key`, 1, 128);
    v.pattern(t.Key, `${field}.${i + 1}.member.key`, /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
    const value = v.required(t.Value, `${field}.${i + 1}.member.value`);
    v.length(t.Value, `${field}.${i + 1}.member.value`, 0, 256);
    tags.push({ Key: key, Value: value });
  });
  if (tags.length > 50) {
    throw new AwsError("LimitExceeded", "The number of tags has reached the maximum limit.", 409);
  }
  const seen = new Set<string>();
  for (const t of tags) {
    const k = t.Key.toLowerCase();
    if (seen.has(k)) {
      throw new AwsError("InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive.", 400);
    }
    seen.add(k);
  }
  return tags;
}

/** Result objects → CloudTrail responseElements: camelCase keys, no secrets, ISO dates. */
export function toEventValue(value: XmlValue): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, "Z");
  if (Array.isArray(value)) return value.map(toEventValue);
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (/Secret|Password|SessionToken/.test(k) || v === undefined) continue;
      out[k.charAt(0).toLowerCase() + k.slice(1)] = toEventValue(v);
    }
    return out;
  }
  return value;
}

/** Query params → CloudTrail requestParameters (camelCase, member lists folded). */
export function requestParameters(params: URLSearchParams): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const [k, v] of params) {
    if (k === "Action" || k === "Version" || k.startsWith("X-Amz-")) continue;
    const path = k.split(".").filter((p) => p !== "member");
    let node: Record<string, unknown> = out;
    path.forEach((seg, i) => {
      const key = /^\d+$/.test(seg) ? String(Number(seg) - 1) : seg.charAt(0).toLowerCase() + seg.slice(1);
      if (i === path.length - 1) node[key] = v;
      else node = (node[key] ??= {}) as Record<string, unknown>;
    });
  }
  return Object.keys(out).length > 0 ? arrayify(out) as Record<string, unknown> : null;
}

function arrayify(v: unknown): unknown {
  if (!v || typeof v !== "object") return v;
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => arrayify(obj[k]));
  }
  for (const k of keys) obj[k] = arrayify(obj[k]);
  return obj;
}
