import { nowMs } from "../clock.js";
import { AwsError, type ApiCall } from "../http.js";
import { markChanged, type SandboxState, type ServiceCredentialRecord, userKey } from "../state.js";
import type { XmlValue } from "../xml.js";
import { getUser, type Operation, resolveUserName, USER_RESOURCE } from "./common.js";
import { BEDROCK_SERVICE_NAME, bedrockAlias, encodeBedrockApiKey } from "./credentials.js";
import { randomSecret, sha256Hex, uniqueId } from "./ids.js";
import { page, pagingParams, Validator } from "./validation.js";

const MAX_PER_USER_PER_SERVICE = 2;
const DAY_MS = 86_400_000;
/** Bedrock keys carry alias + secret; the older services get a generated user name + password. */
const SUPPORTED_SERVICES = new Set([BEDROCK_SERVICE_NAME, "codecommit.amazonaws.com", "cassandra.amazonaws.com"]);

export function statusOf(cred: ServiceCredentialRecord, now: number): "Active" | "Inactive" | "Expired" {
  if (cred.expirationDate !== undefined && cred.expirationDate <= now) return "Expired";
  return cred.status;
}

function base(cred: ServiceCredentialRecord, now: number): Record<string, XmlValue> {
  return {
    CreateDate: new Date(cred.createDate),
    ServiceName: cred.serviceName,
    ServiceSpecificCredentialId: cred.id,
    UserName: cred.userName,
    Status: statusOf(cred, now),
    ...(cred.expirationDate !== undefined ? { ExpirationDate: new Date(cred.expirationDate) } : {}),
  };
}

/** Metadata as listed (never a secret), in the model's member order. */
function metadataXml(cred: ServiceCredentialRecord, now: number): Record<string, XmlValue> {
  return {
    UserName: cred.userName,
    Status: statusOf(cred, now),
    CreateDate: new Date(cred.createDate),
    ServiceSpecificCredentialId: cred.id,
    ServiceName: cred.serviceName,
    ...(cred.serviceUserName ? { ServiceUserName: cred.serviceUserName } : {}),
    ...(cred.alias ? { ServiceCredentialAlias: cred.alias } : {}),
    ...(cred.expirationDate !== undefined ? { ExpirationDate: new Date(cred.expirationDate) } : {}),
  };
}

/** Issues a fresh secret (create and reset); returns the fields only these two calls reveal. */
function issueSecret(state: SandboxState, cred: ServiceCredentialRecord): Record<string, XmlValue> {
  if (cred.serviceName === BEDROCK_SERVICE_NAME) {
    if (cred.secretHash) state.secretIndex.delete(cred.secretHash);
    const key = encodeBedrockApiKey(cred.alias!, randomSecret(32));
    cred.secretHash = sha256Hex(key);
    state.secretIndex.set(cred.secretHash, cred.id);
    return { ServiceCredentialAlias: cred.alias!, ServiceCredentialSecret: key };
  }
  const password = randomSecret(44);
  cred.passwordHash = sha256Hex(password);
  return { ServiceUserName: cred.serviceUserName!, ServicePassword: password };
}

function credentialId(v: Validator, call: ApiCall): string {
  const id = v.required(call.params.get("ServiceSpecificCredentialId") ?? undefined, "serviceSpecificCredentialId");
  v.length(id || undefined, "serviceSpecificCredentialId", 20, 128);
  v.pattern(id || undefined, "serviceSpecificCredentialId", /^[\w]+$/, "[\\w]+");
  return id;
}

function findCredential(call: ApiCall, id: string, userName: string): ServiceCredentialRecord {
  const cred = call.state.serviceCredentials.get(id);
  if (!cred || userKey(cred.userName) !== userKey(userName)) {
    throw new AwsError("NoSuchEntity", `No such credential ${id} exists`, 404);
  }
  return cred;
}

function optionalUser(v: Validator, call: ApiCall): string | undefined {
  const given = call.params.get("UserName") ?? undefined;
  v.name(given, "userName", 64);
  return given;
}

/** Listing order: user, then creation time, then id; the key is also what Markers hold. */
const sortKeys = new WeakMap<ServiceCredentialRecord, string>();
function sortKey(c: ServiceCredentialRecord): string {
  let k = sortKeys.get(c);
  if (k === undefined) {
    k = `${userKey(c.userName)}\u0000${String(c.createDate).padStart(15, "0")}\u0000${c.id}`;
    sortKeys.set(c, k);
  }
  return k;
}

function sortedCredentials(state: SandboxState): ServiceCredentialRecord[] {
  state.sortedCredentialsCache ??= [...state.serviceCredentials.values()].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
  return state.sortedCredentialsCache;
}

export const serviceCredentialOperations: Record<string, Operation> = {
  CreateServiceSpecificCredential: {
    readOnly: false,
    run(call) {
      const v = new Validator();
      const name = v.required(call.params.get("UserName") ?? undefined, "userName");
      v.name(name || undefined, "userName", 64);
      const service = v.required(call.params.get("ServiceName") ?? undefined, "serviceName");
      const ageDays = v.int(call.params.get("CredentialAgeDays") ?? undefined, "credentialAgeDays", 1, 36600);
      v.done();
      const { state } = call;
      const user = getUser(state, name);
      if (!SUPPORTED_SERVICES.has(service)) {
        throw new AwsError("NotSupportedService", `The specified service ${service} is not supported.`, 404);
      }
      if (ageDays !== undefined && service !== BEDROCK_SERVICE_NAME) {
        throw new AwsError("InvalidInput", "CredentialAgeDays is only supported for bedrock.amazonaws.com.", 400);
      }
      let owned = 0;
      for (const c of state.serviceCredentials.values()) {
        if (userKey(c.userName) === userKey(user.userName) && c.serviceName === service) owned++;
      }
      if (owned >= MAX_PER_USER_PER_SERVICE) {
        throw new AwsError(
          "LimitExceeded",
          `Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: ${MAX_PER_USER_PER_SERVICE}`,
          409,
        );
      }
      const created = Math.floor(nowMs(state) / 1000) * 1000;
      const cred: ServiceCredentialRecord = {
        id: uniqueId("ACCA"),
        userName: user.userName,
        serviceName: service,
        status: "Active",
        createDate: created,
        ...(ageDays !== undefined ? { expirationDate: created + ageDays * DAY_MS } : {}),
        ...(service === BEDROCK_SERVICE_NAME
          ? { alias: bedrockAlias(state, user.userName) }
          : { serviceUserName: `${user.userName}-at-${state.accountId}` }),
      };
      const secret = issueSecret(state, cred);
      state.serviceCredentials.set(cred.id, cred);
      markChanged(state);
      return {
        result: { ServiceSpecificCredential: { ...base(cred, created), ...secret } },
        resources: [[USER_RESOURCE, user.userName]],
      };
    },
  },

  ListServiceSpecificCredentials: {
    readOnly: true,
    run(call) {
      const v = new Validator();
      const given = optionalUser(v, call);
      const service = call.params.get("ServiceName") ?? undefined;
      const allUsers = v.boolean(call.params.get("AllUsers") ?? undefined, "allUsers") ?? false;
      const { marker, maxItems } = pagingParams(v, call.params);
      v.done();
      const { state } = call;
      if (allUsers && given !== undefined) {
        throw new AwsError("ValidationError", "UserName and AllUsers cannot both be specified.", 400);
      }
      let owner: string | undefined;
      if (!allUsers) {
        if (given === undefined && call.principal.type === "root") {
          return { result: { ServiceSpecificCredentials: [], IsTruncated: false } };
        }
        owner = userKey(getUser(state, resolveUserName(call, given)).userName);
      }
      const creds = sortedCredentials(state).filter(
        (c) => (owner === undefined || userKey(c.userName) === owner) && (!service || c.serviceName === service),
      );
      const p = page(creds, sortKey, marker, maxItems);
      const now = nowMs(state);
      return {
        result: {
          ServiceSpecificCredentials: p.items.map((c) => metadataXml(c, now)),
          ...(p.marker ? { Marker: p.marker } : {}),
          IsTruncated: p.isTruncated,
        },
        ...(owner !== undefined && given ? { resources: [[USER_RESOURCE, given] as const] } : {}),
      };
    },
  },

  UpdateServiceSpecificCredential: {
    readOnly: false,
    run(call) {
      const v = new Validator();
      const given = optionalUser(v, call);
      const id = credentialId(v, call);
      const status = v.required(call.params.get("Status") ?? undefined, "status");
      v.enumValue(status || undefined, "status", ["Active", "Inactive"]);
      v.done();
      const user = getUser(call.state, resolveUserName(call, given));
      const cred = findCredential(call, id, user.userName);
      cred.status = status as "Active" | "Inactive";
      markChanged(call.state);
      return { result: null, resources: [[USER_RESOURCE, user.userName]] };
    },
  },

  ResetServiceSpecificCredential: {
    readOnly: false,
    run(call) {
      const v = new Validator();
      const given = optionalUser(v, call);
      const id = credentialId(v, call);
      v.done();
      const { state } = call;
      const user = getUser(state, resolveUserName(call, given));
      const cred = findCredential(call, id, user.userName);
      const now = nowMs(state);
      if (statusOf(cred, now) === "Expired") {
        throw new AwsError(
          "InvalidInput",
          `The service specific credential ${id} has expired and cannot be reset. Delete it and create a new one.`,
          400,
        );
      }
      const secret = issueSecret(state, cred);
      markChanged(state);
      return {
        result: { ServiceSpecificCredential: { ...base(cred, now), ...secret } },
        resources: [[USER_RESOURCE, user.userName]],
      };
    },
  },

  DeleteServiceSpecificCredential: {
    readOnly: false,
    run(call) {
      const v = new Validator();
      const given = optionalUser(v, call);
      const id = credentialId(v, call);
      v.done();
      const { state } = call;
      const user = getUser(state, resolveUserName(call, given));
      const cred = findCredential(call, id, user.userName);
      if (cred.secretHash) state.secretIndex.delete(cred.secretHash);
      state.serviceCredentials.delete(id);
      markChanged(state);
      return { result: null, resources: [[USER_RESOURCE, user.userName]] };
    },
  },
};
