import { nowMs } from "../clock.js";
import { AwsError, type ApiCall } from "../http.js";
import { type IamRole, markChanged, userKey } from "../state.js";
import type { XmlValue } from "../xml.js";
import { getRole, type Operation, ROLE_RESOURCE, validateTags } from "./common.js";
import { uniqueId } from "./ids.js";
import { parsePolicyDocument } from "./policies.js";
import { memberStructs, page, pagingParams, Validator } from "./validation.js";

function roleXml(r: IamRole, detail: "create" | "get" | "list"): Record<string, XmlValue> {
  return {
    Path: r.path,
    RoleName: r.roleName,
    RoleId: r.roleId,
    Arn: r.arn,
    CreateDate: new Date(r.createDate),
    AssumeRolePolicyDocument: encodeURIComponent(r.assumeRolePolicyDocument),
    ...(r.description !== undefined ? { Description: r.description } : {}),
    ...(detail !== "create" ? { MaxSessionDuration: r.maxSessionDuration } : {}),
    ...(detail !== "list" && r.tags.length > 0 ? { Tags: r.tags.map((t) => ({ Key: t.Key, Value: t.Value })) } : {}),
    ...(detail === "get" ? { RoleLastUsed: {} } : {}),
  };
}

function roleName(v: Validator, call: ApiCall): string {
  const name = v.required(call.params.get("RoleName") ?? undefined, "roleName");
  v.name(name || undefined, "roleName", 64);
  return name;
}

/** Trust policies are policies with a Principal in every statement. */
export function validateTrustPolicy(text: string): void {
  const parsed = parsePolicyDocument(text);
  if (!parsed.ok) throw new AwsError("MalformedPolicyDocument", parsed.message, 400);
  const statements = Array.isArray(parsed.doc.Statement) ? parsed.doc.Statement : [parsed.doc.Statement];
  for (const s of statements) {
    if (s.Principal === undefined && s.NotPrincipal === undefined) {
      throw new AwsError("MalformedPolicyDocument", "Missing required field Principal", 400);
    }
    if (s.Resource !== undefined) throw new AwsError("MalformedPolicyDocument", "Has prohibited field Resource", 400);
  }
}

export const roleOperations: Record<string, Operation> = {
  CreateRole: {
    readOnly: false,
    run(call) {
      const v = new Validator();
      const name = roleName(v, call);
      const doc = v.required(call.params.get("AssumeRolePolicyDocument") ?? undefined, "assumeRolePolicyDocument");
      v.length(doc || undefined, "assumeRolePolicyDocument", 1, 131072);
      const path = call.params.get("Path") ?? "/";
      v.path(path, "path");
      const description = call.params.get("Description") ?? undefined;
      v.length(description, "description", 0, 1000);
      const maxSession = v.int(call.params.get("MaxSessionDuration") ?? undefined, "maxSessionDuration", 3600, 43200);
      const tags = validateTags(v, memberStructs(call.params, "Tags"));
      v.done();
      const { state } = call;
      if (state.roles.has(userKey(name))) {
        throw new AwsError("EntityAlreadyExists", `Role with name ${name} already exists.`, 409);
      }
      validateTrustPolicy(doc);
      const role: IamRole = {
        roleName: name,
        roleId: uniqueId("AROA"),
        path,
        arn: `arn:aws:iam::${state.accountId}:role${path}${name}`,
        createDate: Math.floor(nowMs(state) / 1000) * 1000,
        assumeRolePolicyDocument: doc,
        ...(description !== undefined ? { description } : {}),
        maxSessionDuration: maxSession ?? 3600,
        tags,
        attachedPolicies: [],
        inlinePolicies: {},
      };
      state.roles.set(userKey(name), role);
      markChanged(state);
      return { result: { Role: roleXml(role, "create") }, resources: [[ROLE_RESOURCE, name]] };
    },
  },

  GetRole: {
    readOnly: true,
    run(call) {
      const v = new Validator();
      const name = roleName(v, call);
      v.done();
      const role = getRole(call.state, name);
      return { result: { Role: roleXml(role, "get") }, resources: [[ROLE_RESOURCE, role.roleName]] };
    },
  },

  ListRoles: {
    readOnly: true,
    run(call) {
      const v = new Validator();
      const prefix = call.params.get("PathPrefix") ?? undefined;
      v.pathPrefix(prefix, "pathPrefix");
      const { marker, maxItems } = pagingParams(v, call.params);
      v.done();
      const roles = [...call.state.roles.values()]
        .filter((r) => !prefix || r.path.startsWith(prefix))
        .sort((a, b) => (userKey(a.roleName) < userKey(b.roleName) ? -1 : 1));
      const p = page(roles, (r) => userKey(r.roleName), marker, maxItems);
      return {
        result: {
          Roles: p.items.map((r) => roleXml(r, "list")),
          IsTruncated: p.isTruncated,
          ...(p.marker ? { Marker: p.marker } : {}),
        },
      };
    },
  },

  DeleteRole: {
    readOnly: false,
    run(call) {
      const v = new Validator();
      const name = roleName(v, call);
      v.done();
      const role = getRole(call.state, name);
      if (role.attachedPolicies.length > 0) {
        throw new AwsError("DeleteConflict", "Cannot delete entity, must detach all policies first.", 409);
      }
      if (Object.keys(role.inlinePolicies).length > 0) {
        throw new AwsError("DeleteConflict", "Cannot delete entity, must delete policies first.", 409);
      }
      call.state.roles.delete(userKey(name));
      markChanged(call.state);
      return { result: null, resources: [[ROLE_RESOURCE, role.roleName]] };
    },
  },
};
