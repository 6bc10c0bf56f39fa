import { nowMs } from "../clock.js";
import { AwsError } from "../http.js";
import type { IamRole, IamUser, SandboxState } from "../state.js";
import { userKey } from "../state.js";
import type { XmlValue } from "../xml.js";
import type { AwsManagedPolicy } from "./aws-managed-policies.js";
import { type Operation, userXml } from "./common.js";
import { policyXml } from "./managed.js";
import { awsManagedPolicy } from "./policies.js";
import { sortedUsers } from "./users.js";
import { memberList, page, pagingParams, Validator } from "./validation.js";

/**
 * The account-wide batch reads that auditing tools use instead of one call per user per check:
 *
 * - GetAccountAuthorizationDetails: every user (and role) with its inline policy documents and
 *   attached managed policies, plus the managed policies in use with their documents, paged with
 *   MaxItems ≤ 1000. Groups are not emulated, so GroupDetailList is empty and GroupList is [].
 * - GenerateCredentialReport / GetCredentialReport: one CSV with a row per user saying whether it
 *   has a console password, MFA and access keys. As in IAM, a report is regenerated only when the
 *   last one is older than four hours (GenerateCredentialReport answers COMPLETE until then), and
 *   GetCredentialReport before any generation is ReportNotPresent.
 */

const FILTERS = ["User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"] as const;
const REPORT_KEY = "iam.credentialReport";
const REPORT_MAX_AGE_MS = 4 * 3600_000;

const encodeDoc = (doc: string) => encodeURIComponent(doc);

function userDetail(u: IamUser): Record<string, XmlValue> {
  return {
    ...userXml(u, true),
    UserPolicyList: Object.entries(u.inlinePolicies).map(([name, doc]) => ({ PolicyName: name, PolicyDocument: encodeDoc(doc) })),
    GroupList: [],
    AttachedManagedPolicies: u.attachedPolicies.map((arn) => ({ PolicyName: arn.slice(arn.lastIndexOf("/") + 1), PolicyArn: arn })),
  };
}

function roleDetail(r: IamRole): Record<string, XmlValue> {
  return {
    Path: r.path,
    RoleName: r.roleName,
    RoleId: r.roleId,
    Arn: r.arn,
    CreateDate: new Date(r.createDate),
    AssumeRolePolicyDocument: encodeDoc(r.assumeRolePolicyDocument),
    InstanceProfileList: [],
    RolePolicyList: Object.entries(r.inlinePolicies).map(([name, doc]) => ({ PolicyName: name, PolicyDocument: encodeDoc(doc) })),
    AttachedManagedPolicies: r.attachedPolicies.map((arn) => ({ PolicyName: arn.slice(arn.lastIndexOf("/") + 1), PolicyArn: arn })),
    ...(r.tags.length ? { Tags: r.tags.map((t) => ({ Key: t.Key, Value: t.Value })) } : {}),
  };
}

/** As GetPolicy lists it (its attachment count included), with the default version's document. */
function policyDetail(state: SandboxState, p: AwsManagedPolicy): Record<string, XmlValue> {
  return {
    ...policyXml(state, p, true),
    PolicyVersionList: [{ Document: encodeDoc(JSON.stringify(p.document, null, 2)), VersionId: p.version, IsDefaultVersion: true, CreateDate: new Date(p.updated) }],
  };
}

type Entry = { key: string; kind: "user" | "role" | "policy"; value: Record<string, XmlValue> };

/** Users, then roles, then the AWS managed policies attached to any of them (what IAM lists). */
function entries(state: SandboxState, wanted: Set<string>): Entry[] {
  const out: Entry[] = [];
  if (wanted.has("User")) for (const u of sortedUsers(state)) out.push({ key: `1${userKey(u.userName)}`, kind: "user", value: userDetail(u) });
  if (wanted.has("Role")) {
    const roles = [...state.roles.values()].sort((a, b) => (userKey(a.roleName) < userKey(b.roleName) ? -1 : 1));
    for (const r of roles) out.push({ key: `2${userKey(r.roleName)}`, kind: "role", value: roleDetail(r) });
  }
  if (wanted.has("AWSManagedPolicy")) {
    const attached = new Set([...state.users.values(), ...state.roles.values()].flatMap((x) => x.attachedPolicies));
    for (const arn of [...attached].sort()) {
      const p = awsManagedPolicy(arn);
      if (p) out.push({ key: `4${arn}`, kind: "policy", value: policyDetail(state, p) });
    }
  }
  return out;
}

interface StoredReport {
  generatedAt: number;
  csv: string;
}

const bool = (b: boolean) => (b ? "true" : "false");
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");

/** IAM's credential report columns, in IAM's order. */
const REPORT_COLUMNS = [
  "user", "arn", "user_creation_time", "password_enabled", "password_last_used", "password_last_changed", "password_next_rotation", "mfa_active",
  "access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date", "access_key_1_last_used_region", "access_key_1_last_used_service",
  "access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date", "access_key_2_last_used_region", "access_key_2_last_used_service",
  "cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
];

function buildReport(state: SandboxState): string {
  const keysByUser = new Map<string, { status: string; createDate: number }[]>();
  for (const k of state.accessKeys.values()) {
    const list = keysByUser.get(userKey(k.userName)) ?? [];
    list.push({ status: k.status, createDate: k.createDate });
    keysByUser.set(userKey(k.userName), list);
  }
  const root = ["<root_account>", `arn:aws:iam::${state.accountId}:root`, iso(0), "not_supported", "no_information", "not_supported", "not_supported", "false",
    "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "false", "N/A"];
  const rows = [REPORT_COLUMNS.join(","), root.join(",")];
  for (const u of sortedUsers(state)) {
    const keys = (keysByUser.get(userKey(u.userName)) ?? []).sort((a, b) => a.createDate - b.createDate);
    const key = (i: number) => {
      const k = keys[i];
      return k ? [bool(k.status === "Active"), iso(k.createDate), "N/A", "N/A", "N/A"] : ["false", "N/A", "N/A", "N/A", "N/A"];
    };
    const pw = u.loginProfile;
    rows.push([
      u.userName, u.arn, iso(u.createDate), bool(!!pw), pw ? "no_information" : "N/A", pw ? iso(pw.createDate) : "N/A", "N/A",
      bool((u.mfaDevices ?? []).length > 0), ...key(0), ...key(1), "false", "N/A", "false", "N/A",
    ].join(","));
  }
  return rows.join("\n") + "\n";
}

export const accountDetailOperations: Record<string, Operation> = {
  GetAccountAuthorizationDetails: {
    readOnly: true,
    run(call) {
      const v = new Validator();
      const filters = memberList(call.params, "Filter");
      filters.forEach((f, i) => v.enumValue(f, `filter.${i + 1}.member`, FILTERS));
      const { marker, maxItems } = pagingParams(v, call.params);
      v.done();
      const wanted = new Set<string>(filters.length ? filters : FILTERS);
      const p = page(entries(call.state, wanted), (e) => e.key, marker, maxItems);
      return {
        result: {
          UserDetailList: p.items.filter((e) => e.kind === "user").map((e) => e.value),
          GroupDetailList: [],
          RoleDetailList: p.items.filter((e) => e.kind === "role").map((e) => e.value),
          Policies: p.items.filter((e) => e.kind === "policy").map((e) => e.value),
          IsTruncated: p.isTruncated,
          ...(p.marker ? { Marker: p.marker } : {}),
        },
        // Documents are not repeated in CloudTrail, as with IAM's own events for this call.
        responseElements: null,
      };
    },
  },

  GenerateCredentialReport: {
    readOnly: true,
    run(call) {
      const now = nowMs(call.state);
      const last = call.state.extensions[REPORT_KEY] as StoredReport | undefined;
      if (last && now - last.generatedAt < REPORT_MAX_AGE_MS) {
        return { result: { State: "COMPLETE", Description: "No report generation in progress." } };
      }
      call.state.extensions[REPORT_KEY] = { generatedAt: Math.floor(now / 1000) * 1000, csv: buildReport(call.state) } satisfies StoredReport;
      return { result: { State: "STARTED", Description: "No report exists. Starting a new report generation task" } };
    },
  },

  GetCredentialReport: {
    readOnly: true,
    run(call) {
      const report = call.state.extensions[REPORT_KEY] as StoredReport | undefined;
      if (!report) throw new AwsError("ReportNotPresent", "Credential report does not exist. Use GenerateCredentialReport to generate a report.", 410);
      if (nowMs(call.state) - report.generatedAt >= REPORT_MAX_AGE_MS) {
        throw new AwsError("ReportExpired", "Credential report is expired. Use GenerateCredentialReport to generate a new report.", 410);
      }
      return {
        result: { Content: Buffer.from(report.csv, "utf8").toString("base64"), ReportFormat: "text/csv", GeneratedTime: new Date(report.generatedAt) },
        responseElements: null,
      };
    },
  },
};
