import { nowMs } from "../clock.js";
import { AwsError } from "../http.js";
import { type AccessKeyRecord, markChanged, userKey } from "../state.js";
import type { XmlValue } from "../xml.js";
import { ACCESS_KEY_RESOURCE, getUser, type Operation, resolveUserName, USER_RESOURCE } from "./common.js";
import { accessKeyId, secretAccessKey } from "./ids.js";
import { page, pagingParams, Validator } from "./validation.js";

const MAX_KEYS_PER_USER = 2;

function metadata(k: AccessKeyRecord): Record<string, XmlValue> {
  return { UserName: k.userName, AccessKeyId: k.accessKeyId, Status: k.status, CreateDate: new Date(k.createDate) };
}

function validateKeyId(v: Validator, id: string | undefined): void {
  v.length(id, "accessKeyId", 16, 128);
  v.pattern(id, "accessKeyId", /^[\w]+$/, "[\\w]+");
}

function findKey(call: Parameters<Operation["run"]>[0], id: string, userName: string): AccessKeyRecord {
  const key = call.state.accessKeys.get(id);
  if (!key || userKey(key.userName) !== userKey(userName)) {
    throw new AwsError("NoSuchEntity", `The Access Key with id ${id} cannot be found.`, 404);
  }
  return key;
}

export const accessKeyOperations: Record<string, Operation> = {
  CreateAccessKey: {
    readOnly: false,
    run(call) {
      const v = new Validator();
      const given = call.params.get("UserName") ?? undefined;
      v.name(given, "userName", 128);
      v.done();
      const user = getUser(call.state, resolveUserName(call, given));
      const owned = [...call.state.accessKeys.values()].filter((k) => userKey(k.userName) === userKey(user.userName));
      if (owned.length >= MAX_KEYS_PER_USER) {
        throw new AwsError("LimitExceeded", `Cannot exceed quota for AccessKeysPerUser: ${MAX_KEYS_PER_USER}`, 409);
      }
      const key: AccessKeyRecord = {
        accessKeyId: accessKeyId("AKIA"),
        secretAccessKey: secretAccessKey(),
        userName: user.userName,
        status: "Active",
        createDate: Math.floor(nowMs(call.state) / 1000) * 1000,
      };
      call.state.accessKeys.set(key.accessKeyId, key);
      markChanged(call.state);
      return {
        result: {
          AccessKey: {
            UserName: key.userName,
            AccessKeyId: key.accessKeyId,
            Status: key.status,
            SecretAccessKey: key.secretAccessKey,
            CreateDate: new Date(key.createDate),
          },
        },
        resources: [[USER_RESOURCE, user.userName], [ACCESS_KEY_RESOURCE, key.accessKeyId]],
      };
    },
  },

  ListAccessKeys: {
    readOnly: true,
    run(call) {
      const v = new Validator();
      const given = call.params.get("UserName") ?? undefined;
      v.name(given, "userName", 128);
      const { marker, maxItems } = pagingParams(v, call.params);
      v.done();
      if (given === undefined && call.principal.type === "root") {
        // The root user's own keys: the built-in administrator pair.
        const admin = { AccessKeyId: call.state.adminAccessKeyId, Status: "Active", CreateDate: new Date(0) };
        return { result: { AccessKeyMetadata: [admin], IsTruncated: false } };
      }
      const user = getUser(call.state, resolveUserName(call, given));
      const keys = [...call.state.accessKeys.values()]
        .filter((k) => userKey(k.userName) === userKey(user.userName))
        .sort((a, b) => a.createDate - b.createDate || (a.accessKeyId < b.accessKeyId ? -1 : 1));
      const p = page(keys, (k) => `${String(k.createDate).padStart(15, "0")}:${k.accessKeyId}`, marker, maxItems);
      return {
        result: {
          AccessKeyMetadata: p.items.map(metadata),
          IsTruncated: p.isTruncated,
          ...(p.marker ? { Marker: p.marker } : {}),
        },
        resources: [[USER_RESOURCE, user.userName]],
      };
    },
  },

  UpdateAccessKey: {
    readOnly: false,
    run(call) {
      const v = new Validator();
      const id = v.required(call.params.get("AccessKeyId") ?? undefined, "accessKeyId");
      validateKeyId(v, id || undefined);
      const status = v.required(call.params.get("Status") ?? undefined, "status");
      v.enumValue(status || undefined, "status", ["Active", "Inactive"]);
      const given = call.params.get("UserName") ?? undefined;
      v.name(given, "userName", 128);
      v.done();
      const user = getUser(call.state, resolveUserName(call, given));
      const key = findKey(call, id, user.userName);
      key.status = status as AccessKeyRecord["status"];
      markChanged(call.state);
      return { result: null, resources: [[USER_RESOURCE, user.userName], [ACCESS_KEY_RESOURCE, id]] };
    },
  },

  DeleteAccessKey: {
    readOnly: false,
    run(call) {
      const v = new Validator();
      const id = v.required(call.params.get("AccessKeyId") ?? undefined, "accessKeyId");
      validateKeyId(v, id || undefined);
      const given = call.params.get("UserName") ?? undefined;
      v.name(given, "userName", 128);
      v.done();
      const user = getUser(call.state, resolveUserName(call, given));
      findKey(call, id, user.userName);
      call.state.accessKeys.delete(id);
      markChanged(call.state);
      return { result: null, resources: [[USER_RESOURCE, user.userName], [ACCESS_KEY_RESOURCE, id]] };
    },
  },
};
