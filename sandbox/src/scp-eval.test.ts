/**
 * SCP evaluation (src/scp.ts) without HTTP: AWS's rules level by level — an explicit deny at any
 * level wins, each level (root, account) needs an allow, FullAWSAccess is the default allow,
 * conditions use the identity evaluator, the management account and accounts that left are
 * exempt.
 */
import { describe, expect, it } from "vitest";
import { createAccount } from "./accounts.js";
import { FULL_AWS_ACCESS_ID, orgPolicies, ROOT_ID, scpDecision, scpDenyMessage } from "./scp.js";
import { createState } from "./state.js";

function org() {
  const management = createState();
  const member = createAccount(management, { id: "222233334444", name: "Member" });
  const p = orgPolicies(management);
  const add = (id: string, ...Statement: object[]) => p.policies.push({ id, name: id, description: "", awsManaged: false, content: JSON.stringify({ Version: "2012-10-17", Statement }) });
  const attach = (target: string, ...ids: string[]) => {
    p.attachments[target] = ids;
  };
  return { management, member, add, attach };
}

const req = (action: string, context: Record<string, string> = {}) => ({ action, resource: "*", context });

describe("scpDecision", () => {
  it("FullAWSAccess at the root and on the account allows by default", () => {
    const { member } = org();
    expect(scpDecision(member, req("iam:CreateUser"))).toEqual({ decision: "Allow" });
  });

  it("an explicit deny wins over any allow, at either level, and names its policy", () => {
    const { member, add, attach } = org();
    add("p-denyroot", { Effect: "Deny", Action: "iam:CreateUser", Resource: "*" });
    attach(ROOT_ID, FULL_AWS_ACCESS_ID, "p-denyroot");
    expect(scpDecision(member, req("iam:CreateUser"))).toEqual({ decision: "ExplicitDeny", policyId: "p-denyroot" });
    expect(scpDecision(member, req("iam:ListUsers")).decision).toBe("Allow");
    attach(ROOT_ID, FULL_AWS_ACCESS_ID);
    add("p-denyacct", { Effect: "Deny", Action: "iam:*", Resource: "*" });
    attach(member.accountId, FULL_AWS_ACCESS_ID, "p-denyacct");
    expect(scpDecision(member, req("iam:ListUsers"))).toEqual({ decision: "ExplicitDeny", policyId: "p-denyacct" });
  });

  it("an allow is needed at every level: allowed at the root but not on the account is denied", () => {
    const { member, add, attach } = org();
    add("p-bedrock", { Effect: "Allow", Action: "bedrock:*", Resource: "*" });
    attach(member.accountId, "p-bedrock");
    expect(scpDecision(member, req("bedrock:InvokeModel")).decision).toBe("Allow");
    expect(scpDecision(member, req("iam:ListUsers")).decision).toBe("ImplicitDeny");
    // And the other way round: the account allows, the root does not.
    attach(member.accountId, FULL_AWS_ACCESS_ID);
    attach(ROOT_ID, "p-bedrock");
    expect(scpDecision(member, req("iam:ListUsers")).decision).toBe("ImplicitDeny");
    expect(scpDenyMessage(member, "arn:aws:iam::222233334444:root", req("iam:ListUsers"))).toBe(
      "User: arn:aws:iam::222233334444:root is not authorized to perform: iam:ListUsers on resource: * because no service control policy allows the iam:ListUsers action",
    );
  });

  it("a deny elsewhere still wins when another level only implicitly denies", () => {
    const { member, add, attach } = org();
    add("p-bedrock", { Effect: "Allow", Action: "bedrock:*", Resource: "*" });
    add("p-deny", { Effect: "Deny", Action: "iam:ListUsers", Resource: "*" });
    attach(ROOT_ID, "p-bedrock");
    attach(member.accountId, FULL_AWS_ACCESS_ID, "p-deny");
    expect(scpDecision(member, req("iam:ListUsers")).decision).toBe("ExplicitDeny");
  });

  it("conditions: Null on a missing key matches, a numeric condition on it does not", () => {
    const { member, add, attach } = org();
    add(
      "p-age",
      { Sid: "NoExpiry", Effect: "Deny", Action: "iam:CreateServiceSpecificCredential", Resource: "*", Condition: { Null: { "iam:ServiceSpecificCredentialAgeDays": "true" } } },
      { Sid: "TooLong", Effect: "Deny", Action: "iam:CreateServiceSpecificCredential", Resource: "*", Condition: { NumericGreaterThan: { "iam:ServiceSpecificCredentialAgeDays": "30" } } },
    );
    attach(member.accountId, FULL_AWS_ACCESS_ID, "p-age");
    expect(scpDecision(member, req("iam:CreateServiceSpecificCredential")).decision).toBe("ExplicitDeny");
    expect(scpDecision(member, req("iam:CreateServiceSpecificCredential", { "iam:ServiceSpecificCredentialAgeDays": "31" })).decision).toBe("ExplicitDeny");
    expect(scpDecision(member, req("iam:CreateServiceSpecificCredential", { "iam:ServiceSpecificCredentialAgeDays": "30" })).decision).toBe("Allow");
  });

  it("the management account, and an account that left the organisation, are not affected", () => {
    const { management, member, add, attach } = org();
    add("p-all", { Effect: "Deny", Action: "*", Resource: "*" });
    attach(ROOT_ID, FULL_AWS_ACCESS_ID, "p-all");
    expect(scpDecision(member, req("iam:ListUsers")).decision).toBe("ExplicitDeny");
    expect(scpDecision(management, req("iam:ListUsers")).decision).toBe("Allow");
    member.org.member = false;
    expect(scpDecision(member, req("iam:ListUsers")).decision).toBe("Allow");
  });
});
