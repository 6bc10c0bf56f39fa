/**
 * AWS Organizations, the two read calls the console uses for account discovery (issue 14):
 * ListAccounts (20 per page at most, NextToken paging) and DescribeOrganization, JSON 1.1 as the
 * real service speaks it (X-Amz-Target AWSOrganizationsV20161128.*, SigV4 service
 * "organizations"). Only the management account may call them; any other account gets
 * AccessDeniedException, as an account that is not the management or a delegated administrator
 * does on AWS. Identity policies of users and role sessions are checked like IAM's.
 */
import type http from "node:http";
import { managementAccount } from "./accounts.js";
import { authenticate, type IncomingApiRequest } from "./aws-api.js";
import { AwsError, send } from "./http.js";
import { authorize } from "./iam/authorize.js";
import { requestId as newRequestId } from "./iam/ids.js";
import { policyOperation } from "./organizations-policies.js";
import { ORG_ID } from "./scp.js";
import type { SandboxState } from "./state.js";

const JSON_CONTENT_TYPE = "application/x-amz-json-1.1";

const MAX_RESULTS = 20;

function fail(res: http.ServerResponse, err: AwsError, requestId: string) {
  const type = err.code.endsWith("Exception") ? err.code : `${err.code}Exception`;
  // ConstraintViolationException carries a Reason (e.g. POLICY_CONTENT_LIMIT_EXCEEDED).
  const reason = (err as AwsError & { reason?: string }).reason;
  send(res, err.status === 403 ? 400 : err.status, JSON_CONTENT_TYPE, JSON.stringify({ __type: type, Message: err.message, ...(reason ? { Reason: reason } : {}) }), {
    "x-amzn-RequestId": requestId,
    "x-amzn-ErrorType": type,
  });
}

export async function handleOrganizations(state: SandboxState, req: IncomingApiRequest, res: http.ServerResponse): Promise<void> {
  const requestId = newRequestId();
  const target = req.headers["x-amz-target"] ?? "";
  const action = target.slice(target.indexOf(".") + 1);
  try {
    const auth = await authenticate(state, req);
    const management = managementAccount(state);
    if (state !== management) throw new AwsError("AccessDenied", "You don't have permissions to access this resource.", 403);
    authorize(state, { principal: auth.principal, action: `organizations:${action}`, resource: "*", sourceIp: req.sourceIp, userAgent: req.headers["user-agent"] ?? "", region: auth.region });
    const input = req.body.length ? (JSON.parse(req.body.toString("utf8")) as Record<string, unknown>) : {};
    let out: unknown;
    if (action === "DescribeOrganization") {
      out = {
        Organization: {
          Id: ORG_ID,
          Arn: `arn:aws:organizations::${management.accountId}:organization/${ORG_ID}`,
          FeatureSet: "ALL",
          MasterAccountArn: `arn:aws:organizations::${management.accountId}:account/${ORG_ID}/${management.accountId}`,
          MasterAccountId: management.accountId,
          MasterAccountEmail: management.org.email,
        },
      };
    } else if (action === "ListAccounts") {
      const max = typeof input.MaxResults === "number" ? input.MaxResults : MAX_RESULTS;
      if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS) {
        throw new AwsError("InvalidInput", "You provided a value that does not match the required pattern. (MaxResults must be between 1 and 20)", 400);
      }
      const members = [...state.accounts.values()].filter((a) => a.org.member);
      const start = typeof input.NextToken === "string" ? Number(Buffer.from(input.NextToken, "base64").toString("utf8")) : 0;
      if (!Number.isInteger(start) || start < 0) throw new AwsError("InvalidInput", "The NextToken is not valid.", 400);
      const page = members.slice(start, start + max);
      out = {
        Accounts: page.map((a) => ({
          Id: a.accountId,
          Arn: `arn:aws:organizations::${management.accountId}:account/${ORG_ID}/${a.accountId}`,
          Email: a.org.email,
          Name: a.org.name,
          Status: a.org.state,
          State: a.org.state,
          JoinedMethod: a === management ? "CREATED" : "INVITED",
          JoinedTimestamp: a.org.joined / 1000,
        })),
        ...(start + max < members.length ? { NextToken: Buffer.from(String(start + max)).toString("base64") } : {}),
      };
    } else {
      out = policyOperation(state, action, input);
      if (out === undefined) throw new AwsError("UnknownOperation", `Unknown operation ${target}`, 400);
      state.onChange?.();
    }
    send(res, 200, JSON_CONTENT_TYPE, JSON.stringify(out), { "x-amzn-RequestId": requestId });
  } catch (e) {
    fail(res, e instanceof AwsError ? e : new AwsError("Service", (e as Error).message, 500), requestId);
  }
}
