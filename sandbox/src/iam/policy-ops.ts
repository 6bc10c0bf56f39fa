import { AwsError, type ApiCall } from "../http.js";
import { type IamRole, type IamUser, markChanged } from "../state.js";
import type { ResourceRef } from "../cloudtrail/store.js";
import { getRole, getUser, type Operation, ROLE_RESOURCE, USER_RESOURCE } from "./common.js";
import { awsManagedPolicy, parsePolicyDocument } from "./policies.js";
import { page, pagingParams, Validator } from "./validation.js";

type Kind = "User" | "Role";

interface KindSpec {
  field: string; // validation field name: userName / roleName
  nameMax: number;
  get(call: ApiCall, name: string): IamUser | IamRole;
  nameOf(e: IamUser | IamRole): string;
  resource: string;
  inlineLimit: number;
  lower: string;
}

const KINDS: Record<Kind, KindSpec> = {
  User: {
    field: "userName",
    nameMax: 128,
    get: (call, name) => getUser(call.state, name),
    nameOf: (e) => (e as IamUser).userName,
    resource: USER_RESOURCE,
    inlineLimit: 2048,
    lower: "user",
  },
  Role: {
    field: "roleName",
    nameMax: 64,
    get: (call, name) => getRole(call.state, name),
    nameOf: (e) => (e as IamRole).roleName,
    resource: ROLE_RESOURCE,
    inlineLimit: 10240,
    lower: "role",
  },
};

const MAX_ATTACHED = 10;

function entityName(v: Validator, call: ApiCall, kind: Kind): string {
  const spec = KINDS[kind];
  const name = v.required(call.params.get(`${kind}Name`) ?? undefined, spec.field);
  v.name(name || undefined, spec.field, spec.nameMax);
  return name;
}

function policyName(v: Validator, call: ApiCall): string {
  const name = v.required(call.params.get("PolicyName") ?? undefined, "policyName");
  v.name(name || undefined, "policyName", 128);
  return name;
}

function policyArn(v: Validator, call: ApiCall): string {
  const arn = v.required(call.params.get("PolicyArn") ?? undefined, "policyArn");
  v.length(arn || undefined, "policyArn", 20, 2048);
  return arn;
}

function nonWhitespaceLength(s: string): number {
  return s.replace(/\s/g, "").length;
}

/** Put/Get/Delete/List inline policies and Attach/Detach/ListAttached for users or roles. */
export function policyOperations(kind: Kind): Record<string, Operation> {
  const spec = KINDS[kind];
  const res = (e: IamUser | IamRole): ResourceRef[] => [[spec.resource, spec.nameOf(e)]];
  return {
    [`Put${kind}Policy`]: {
      readOnly: false,
      run(call) {
        const v = new Validator();
        const name = entityName(v, call, kind);
        const pname = policyName(v, call);
        const doc = v.required(call.params.get("PolicyDocument") ?? undefined, "policyDocument");
        v.length(doc || undefined, "policyDocument", 1, 131072);
        v.pattern(doc || undefined, "policyDocument", /^[\u0009\u000A\u000D\u0020-\u00FF]+$/, "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");
        v.done();
        const entity = spec.get(call, name);
        const parsed = parsePolicyDocument(doc);
        if (!parsed.ok) throw new AwsError("MalformedPolicyDocument", parsed.message, 400);
        const others = Object.entries(entity.inlinePolicies).filter(([n]) => n !== pname);
        const total = others.reduce((sum, [, d]) => sum + nonWhitespaceLength(d), nonWhitespaceLength(doc));
        if (total > spec.inlineLimit) {
          throw new AwsError(
            "LimitExceeded",
            `Maximum policy size of ${spec.inlineLimit} bytes exceeded for ${spec.lower} ${spec.nameOf(entity)}`,
            409,
          );
        }
        entity.inlinePolicies[pname] = doc;
        markChanged(call.state);
        return { result: null, resources: res(entity) };
      },
    },

    [`Get${kind}Policy`]: {
      readOnly: true,
      run(call) {
        const v = new Validator();
        const name = entityName(v, call, kind);
        const pname = policyName(v, call);
        v.done();
        const entity = spec.get(call, name);
        const doc = entity.inlinePolicies[pname];
        if (doc === undefined) {
          throw new AwsError("NoSuchEntity", `The ${spec.lower} policy with name ${pname} cannot be found.`, 404);
        }
        return {
          // IAM returns policy documents URL-encoded (RFC 3986); clients decode them.
          result: { [`${kind}Name`]: spec.nameOf(entity), PolicyName: pname, PolicyDocument: encodeURIComponent(doc) },
          resources: res(entity),
        };
      },
    },

    [`Delete${kind}Policy`]: {
      readOnly: false,
      run(call) {
        const v = new Validator();
        const name = entityName(v, call, kind);
        const pname = policyName(v, call);
        v.done();
        const entity = spec.get(call, name);
        if (entity.inlinePolicies[pname] === undefined) {
          throw new AwsError("NoSuchEntity", `The ${spec.lower} policy with name ${pname} cannot be found.`, 404);
        }
        delete entity.inlinePolicies[pname];
        markChanged(call.state);
        return { result: null, resources: res(entity) };
      },
    },

    [`List${kind}Policies`]: {
      readOnly: true,
      run(call) {
        const v = new Validator();
        const name = entityName(v, call, kind);
        const { marker, maxItems } = pagingParams(v, call.params);
        v.done();
        const entity = spec.get(call, name);
        const names = Object.keys(entity.inlinePolicies).sort();
        const p = page(names, (n) => n, marker, maxItems);
        return {
          result: { PolicyNames: p.items, IsTruncated: p.isTruncated, ...(p.marker ? { Marker: p.marker } : {}) },
          resources: res(entity),
        };
      },
    },

    [`Attach${kind}Policy`]: {
      readOnly: false,
      run(call) {
        const v = new Validator();
        const name = entityName(v, call, kind);
        const arn = policyArn(v, call);
        v.done();
        const entity = spec.get(call, name);
        if (!/^arn:aws[\w-]*:iam::(aws|\d{12}):policy\//.test(arn)) {
          throw new AwsError("InvalidInput", `ARN ${arn} is not valid.`, 400);
        }
        if (!awsManagedPolicy(arn)) {
          throw new AwsError("NoSuchEntity", `Policy ${arn} does not exist or is not attachable.`, 404);
        }
        if (!entity.attachedPolicies.includes(arn)) {
          if (entity.attachedPolicies.length >= MAX_ATTACHED) {
            throw new AwsError("LimitExceeded", `Cannot exceed quota for PoliciesPer${kind}: ${MAX_ATTACHED}`, 409);
          }
          entity.attachedPolicies.push(arn);
          markChanged(call.state);
        }
        return { result: null, resources: [...res(entity), ["AWS::IAM::Policy", arn]] };
      },
    },

    [`Detach${kind}Policy`]: {
      readOnly: false,
      run(call) {
        const v = new Validator();
        const name = entityName(v, call, kind);
        const arn = policyArn(v, call);
        v.done();
        const entity = spec.get(call, name);
        const i = entity.attachedPolicies.indexOf(arn);
        if (i < 0) throw new AwsError("NoSuchEntity", `Policy ${arn} was not found.`, 404);
        entity.attachedPolicies.splice(i, 1);
        markChanged(call.state);
        return { result: null, resources: [...res(entity), ["AWS::IAM::Policy", arn]] };
      },
    },

    [`ListAttached${kind}Policies`]: {
      readOnly: true,
      run(call) {
        const v = new Validator();
        const name = entityName(v, call, kind);
        const prefix = call.params.get("PathPrefix") ?? undefined;
        v.pathPrefix(prefix, "pathPrefix");
        const { marker, maxItems } = pagingParams(v, call.params);
        v.done();
        const entity = spec.get(call, name);
        const attached = entity.attachedPolicies
          .map((arn) => ({ arn, path: awsManagedPolicy(arn)?.path ?? "/", name: arn.split("/").pop()! }))
          .filter((a) => !prefix || a.path.startsWith(prefix));
        const p = page(attached.map((a, i) => ({ ...a, k: String(i).padStart(4, "0") })), (a) => a.k, marker, maxItems);
        return {
          result: {
            AttachedPolicies: p.items.map((a) => ({ PolicyName: a.name, PolicyArn: a.arn })),
            IsTruncated: p.isTruncated,
            ...(p.marker ? { Marker: p.marker } : {}),
          },
          resources: res(entity),
        };
      },
    },
  };
}

