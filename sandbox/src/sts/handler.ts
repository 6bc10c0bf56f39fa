import { nowMs } from "../clock.js";
import { AwsError, type ApiCall } from "../http.js";
import { authorize, principalContext } from "../iam/authorize.js";
import type { Operation } from "../iam/common.js";
import type { Principal } from "../iam/credentials.js";
import { accessKeyId, secretAccessKey, sessionToken } from "../iam/ids.js";
import { parsePolicyDocument, type PolicyStatement } from "../iam/policies.js";
import { Validator } from "../iam/validation.js";
import { evaluate } from "../policy/evaluate.js";
import { lookupAccessKey } from "../iam/credentials.js";
import { type IamRole, markChanged, type SandboxState, type SessionRecord, userKey } from "../state.js";

const ROLE_CHAINING_LIMIT = 3600;

/** Does a trust-policy Principal element name the caller? "specific" = by its own ARN. */
function principalMatch(el: unknown, caller: Principal, accountId: string): "none" | "account" | "specific" {
  if (el === "*") return "account";
  if (!el || typeof el !== "object") return "none";
  const aws = (el as Record<string, unknown>).AWS;
  const values = Array.isArray(aws) ? aws : aws === undefined ? [] : [aws];
  let best: "none" | "account" | "specific" = "none";
  const own = new Set<string>([caller.arn]);
  if (caller.type === "assumed-role") own.add(`arn:aws:iam::${accountId}:role/${caller.roleName}`);
  for (const v of values) {
    if (typeof v !== "string") continue;
    if (own.has(v)) return "specific";
    if (v === "*" || v === accountId || v === `arn:aws:iam::${accountId}:root`) best = "account";
  }
  return best;
}

/**
 * Evaluates the role's trust policy for the caller: statements whose Principal names the
 * caller are evaluated with the shared policy evaluator (trust policies have no Resource, so
 * the role ARN stands in). Returns how the caller was matched, or throws AccessDenied.
 */
function checkTrust(call: ApiCall, role: IamRole, actions: string[], context: Record<string, string>): "account" | "specific" {
  const denied = () =>
    new AwsError(
      "AccessDenied",
      `User: ${call.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${role.arn}`,
      403,
    );
  const parsed = parsePolicyDocument(role.assumeRolePolicyDocument);
  if (!parsed.ok) throw denied();
  const statements = Array.isArray(parsed.doc.Statement) ? parsed.doc.Statement : [parsed.doc.Statement];
  let how: "account" | "specific" = "account";
  const applicable: PolicyStatement[] = [];
  for (const st of statements) {
    const m = st.NotPrincipal !== undefined
      ? (principalMatch(st.NotPrincipal, call.principal, call.state.accountId) === "none" ? "account" : "none")
      : principalMatch(st.Principal, call.principal, call.state.accountId);
    if (m === "none") continue;
    if (m === "specific" && st.Effect === "Allow") how = "specific";
    // The trust policy's principal was matched above; the rest is evaluated as an identity policy.
    const rest = { ...st };
    delete rest.Principal;
    delete rest.NotPrincipal;
    applicable.push({ ...rest, Resource: "*" });
  }
  for (const action of actions) {
    const r = evaluate([{ Version: "2012-10-17", Statement: applicable }], { action, resource: role.arn, context });
    if (r.decision !== "Allow") throw denied();
  }
  return how;
}

/** The role and the account it is in: this one, or another account of the sandbox (cross-account). */
function roleFromArn(call: ApiCall, arn: string): { role: IamRole; account: SandboxState } {
  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
  const account = m ? call.state.accounts.get(m[1]!) : undefined;
  const role = m && account ? account.roles.get(userKey(m[2]!)) : undefined;
  if (!account || !role || role.arn !== arn) {
    throw new AwsError(
      "AccessDenied",
      `User: ${call.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${arn}`,
      403,
    );
  }
  return { role, account };
}

export const stsOperations: Readonly<Record<string, Operation>> = {
  GetCallerIdentity: {
    readOnly: true,
    run(call) {
      const p = call.principal;
      const userId = p.type === "assumed-role" ? `${p.roleId}:${p.sessionName}` : p.userId;
      return { result: { UserId: userId, Account: call.state.accountId, Arn: p.arn }, responseElements: null };
    },
  },

  GetAccessKeyInfo: {
    readOnly: true,
    run(call) {
      const v = new Validator();
      const id = v.required(call.params.get("AccessKeyId") ?? undefined, "accessKeyId");
      v.length(id || undefined, "accessKeyId", 16, 128);
      v.done();
      // The account that owns the key, in any account of the sandbox. AWS derives it from the key
      // id itself, so an id it never issued still names some account: here, the caller's.
      const owner = [...call.state.accounts.values()].find((a) => lookupAccessKey(a, id) !== null);
      return { result: { Account: owner?.accountId ?? call.state.accountId }, responseElements: null };
    },
  },

  AssumeRole: {
    readOnly: true,
    run(call) {
      const v = new Validator();
      const roleArn = v.required(call.params.get("RoleArn") ?? undefined, "roleArn");
      v.length(roleArn || undefined, "roleArn", 20, 2048);
      const sessionName = v.required(call.params.get("RoleSessionName") ?? undefined, "roleSessionName");
      v.length(sessionName || undefined, "roleSessionName", 2, 64);
      v.pattern(sessionName || undefined, "roleSessionName", /^[\w+=,.@-]*$/, "[\\w+=,.@-]*");
      const sourceIdentity = call.params.get("SourceIdentity") ?? undefined;
      v.length(sourceIdentity, "sourceIdentity", 2, 64);
      v.pattern(sourceIdentity, "sourceIdentity", /^[\w+=,.@-]*$/, "[\\w+=,.@-]*");
      const externalId = call.params.get("ExternalId") ?? undefined;
      v.length(externalId, "externalId", 2, 1224);
      const duration = v.int(call.params.get("DurationSeconds") ?? undefined, "durationSeconds", 900, 43200) ?? 3600;
      v.done();
      const { state } = call;
      // The session belongs to the role's account, which may be another one than the caller's.
      const { role, account: roleAccount } = roleFromArn(call, roleArn);
      const caller = call.principal;
      if (caller.type === "assumed-role" && duration > ROLE_CHAINING_LIMIT) {
        throw new AwsError(
          "ValidationError",
          "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
          400,
        );
      }
      if (duration > role.maxSessionDuration) {
        throw new AwsError("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 400);
      }
      // A session that already carries a source identity passes it on and cannot change it.
      const inherited = caller.type === "assumed-role" ? caller.sourceIdentity : undefined;
      if (inherited && sourceIdentity && sourceIdentity !== inherited) {
        throw new AwsError("AccessDenied", "SourceIdentity cannot be changed once set on a role session.", 403);
      }
      const effectiveSource = sourceIdentity ?? inherited;
      const context: Record<string, string> = {
        ...principalContext(state, caller),
        "aws:SourceIp": call.sourceIp,
        "aws:UserAgent": call.userAgent,
        "sts:RoleSessionName": sessionName,
        ...(effectiveSource ? { "sts:SourceIdentity": effectiveSource } : {}),
        ...(externalId ? { "sts:ExternalId": externalId } : {}),
      };
      const how = checkTrust(call, role, sourceIdentity ? ["sts:AssumeRole", "sts:SetSourceIdentity"] : ["sts:AssumeRole"], context);
      if (how === "account" && caller.type !== "root") {
        // Trust in the account delegates to the caller's own identity policies.
        authorize(state, {
          principal: caller,
          action: "sts:AssumeRole",
          resource: role.arn,
          sourceIp: call.sourceIp,
          userAgent: call.userAgent,
          region: call.region,
        });
      }
      const issued = Math.floor(nowMs(state) / 1000) * 1000;
      const session: SessionRecord = {
        accessKeyId: accessKeyId("ASIA"),
        secretAccessKey: secretAccessKey(),
        sessionToken: sessionToken(),
        expiration: issued + duration * 1000,
        issuedAt: issued,
        roleName: role.roleName,
        roleId: role.roleId,
        roleArn: role.arn,
        sessionName,
        ...(effectiveSource ? { sourceIdentity: effectiveSource } : {}),
        sourceArn: caller.arn,
      };
      roleAccount.sessions.set(session.accessKeyId, session);
      markChanged(roleAccount);
      const sessionArn = `arn:aws:sts::${roleAccount.accountId}:assumed-role/${role.roleName}/${sessionName}`;
      const assumedRoleUser = { AssumedRoleId: `${role.roleId}:${sessionName}`, Arn: sessionArn };
      return {
        result: {
          Credentials: {
            AccessKeyId: session.accessKeyId,
            SecretAccessKey: session.secretAccessKey,
            SessionToken: session.sessionToken,
            Expiration: new Date(session.expiration),
          },
          AssumedRoleUser: assumedRoleUser,
          ...(effectiveSource ? { SourceIdentity: effectiveSource } : {}),
        },
        responseElements: {
          credentials: { accessKeyId: session.accessKeyId, expiration: new Date(session.expiration).toUTCString() },
          assumedRoleUser: { assumedRoleId: assumedRoleUser.AssumedRoleId, arn: sessionArn },
          ...(effectiveSource ? { sourceIdentity: effectiveSource } : {}),
        },
        resources: [["AWS::IAM::AccessKey", session.accessKeyId], ["AWS::STS::AssumedRole", sessionArn], ["AWS::IAM::Role", role.arn]],
      };
    },
  },
};
