import { nowMs } from "../clock.js";
import { AwsError, type ApiCall } from "../http.js";
import { type IamUser, markChanged, type SandboxState, userKey } from "../state.js";
import { getUser, type Operation, USER_RESOURCE, userXml, validateTags } from "./common.js";
import { uniqueId } from "./ids.js";
import { memberList, memberStructs, page, pagingParams, Validator } from "./validation.js";

export function sortedUsers(state: SandboxState): IamUser[] {
  state.sortedUsersCache ??= [...state.users.values()].sort((a, b) =>
    userKey(a.userName) < userKey(b.userName) ? -1 : 1,
  );
  return state.sortedUsersCache;
}

function userName(call: ApiCall, v: Validator, optional = false): string | undefined {
  const name = call.params.get("UserName") ?? undefined;
  if (!optional) v.required(name, "userName");
  v.name(name, "userName", optional ? 128 : 64);
  return name;
}

export const userOperations: Record<string, Operation> = {
  CreateUser: {
    readOnly: false,
    run(call) {
      const v = new Validator();
      const name = userName(call, v)!;
      const path = call.params.get("Path") ?? "/";
      v.path(path, "path");
      const tags = validateTags(v, memberStructs(call.params, "Tags"));
      v.done();
      const { state } = call;
      if (state.users.has(userKey(name))) {
        throw new AwsError("EntityAlreadyExists", `User with name ${name} already exists.`, 409);
      }
      const user: IamUser = {
        userName: name,
        userId: uniqueId("AIDA"),
        path,
        arn: `arn:aws:iam::${state.accountId}:user${path}${name}`,
        createDate: Math.floor(nowMs(state) / 1000) * 1000,
        tags,
        attachedPolicies: [],
        inlinePolicies: {},
      };
      state.users.set(userKey(name), user);
      markChanged(state);
      return { result: { User: userXml(user, true) }, resources: [[USER_RESOURCE, name]] };
    },
  },

  GetUser: {
    readOnly: true,
    run(call) {
      const v = new Validator();
      const given = userName(call, v, true);
      v.done();
      if (given === undefined) {
        const p = call.principal;
        if (p.type === "root") {
          return { result: { User: { UserId: p.userId, Arn: p.arn, CreateDate: new Date(0) } } };
        }
        if (p.type !== "user") {
          throw new AwsError("ValidationError", "Must specify userName when calling with non-User credentials", 400);
        }
      }
      const name = given ?? (call.principal.type === "user" ? call.principal.userName : "");
      const user = getUser(call.state, name);
      return { result: { User: userXml(user, true) }, resources: [[USER_RESOURCE, user.userName]] };
    },
  },

  ListUsers: {
    readOnly: true,
    run(call) {
      const v = new Validator();
      const prefix = call.params.get("PathPrefix") ?? undefined;
      v.pathPrefix(prefix, "pathPrefix");
      const { marker, maxItems } = pagingParams(v, call.params);
      v.done();
      let users = sortedUsers(call.state);
      if (prefix && prefix !== "/") users = users.filter((u) => u.path.startsWith(prefix));
      const p = page(users, (u) => userKey(u.userName), marker, maxItems);
      return {
        result: {
          Users: p.items.map((u) => userXml(u, false)),
          IsTruncated: p.isTruncated,
          ...(p.marker ? { Marker: p.marker } : {}),
        },
      };
    },
  },

  DeleteUser: {
    readOnly: false,
    run(call) {
      const v = new Validator();
      const name = userName(call, v)!;
      v.done();
      const { state } = call;
      const user = getUser(state, name);
      const conflict = (what: string) =>
        new AwsError("DeleteConflict", `Cannot delete entity, must ${what} first.`, 409);
      if (user.attachedPolicies.length > 0) throw conflict("detach all policies");
      if (Object.keys(user.inlinePolicies).length > 0) throw conflict("delete policies");
      for (const key of state.accessKeys.values()) {
        if (userKey(key.userName) === userKey(name)) throw conflict("delete access keys");
      }
      for (const cred of state.serviceCredentials.values()) {
        if (userKey(cred.userName) === userKey(name)) throw conflict("delete service specific credentials");
      }
      if (user.loginProfile) throw conflict("delete login profile");
      if ((user.mfaDevices ?? []).length > 0) throw conflict("delete MFA devices");
      state.users.delete(userKey(name));
      markChanged(state);
      return { result: null, resources: [[USER_RESOURCE, user.userName]] };
    },
  },

  TagUser: {
    readOnly: false,
    run(call) {
      const v = new Validator();
      const name = userName(call, v)!;
      const tags = validateTags(v, memberStructs(call.params, "Tags"));
      v.done();
      const user = getUser(call.state, name);
      const merged = [...user.tags];
      for (const t of tags) {
        const i = merged.findIndex((m) => m.Key.toLowerCase() === t.Key.toLowerCase());
        if (i >= 0) merged[i] = t;
        else merged.push(t);
      }
      if (merged.length > 50) {
        throw new AwsError("LimitExceeded", "The number of tags has reached the maximum limit.", 409);
      }
      user.tags = merged;
      markChanged(call.state);
      return { result: null, resources: [[USER_RESOURCE, user.userName]] };
    },
  },

  UntagUser: {
    readOnly: false,
    run(call) {
      const v = new Validator();
      const name = userName(call, v)!;
      const keys = memberList(call.params, "TagKeys");
      if (keys.length === 0) v.required(undefined, "tagKeys");
      keys.forEach((k, i) => v.length(k, `tagKeys.${i + 1}.member`, 1, 128));
      v.done();
      const user = getUser(call.state, name);
      const drop = new Set(keys.map((k) => k.toLowerCase()));
      user.tags = user.tags.filter((t) => !drop.has(t.Key.toLowerCase()));
      markChanged(call.state);
      return { result: null, resources: [[USER_RESOURCE, user.userName]] };
    },
  },

  ListUserTags: {
    readOnly: true,
    run(call) {
      const v = new Validator();
      const name = userName(call, v)!;
      const { marker, maxItems } = pagingParams(v, call.params);
      v.done();
      const user = getUser(call.state, name);
      const sorted = [...user.tags];
      const p = page(sorted.map((t, i) => ({ t, k: String(i).padStart(4, "0") })), (x) => x.k, marker, maxItems);
      return {
        result: {
          Tags: p.items.map(({ t }) => ({ Key: t.Key, Value: t.Value })),
          IsTruncated: p.isTruncated,
          ...(p.marker ? { Marker: p.marker } : {}),
        },
        resources: [[USER_RESOURCE, user.userName]],
      };
    },
  },
};
