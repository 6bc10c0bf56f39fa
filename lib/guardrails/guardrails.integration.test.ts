/**
 * The generated guardrails do what they say, in the sandbox: the SCP generated from the org
 * policy is created and attached with the real @aws-sdk/client-organizations, then the real
 * @aws-sdk/client-iam (the issue names `aws iam create-service-specific-credential`; the AWS CLI is
 * not installed here, the SDK sends the same Query request) gets AWS's AccessDenied naming the
 * service control policy for a key with no expiry, too long a life or made outside the console's
 * role, and succeeds with an allowed age; bearer calls outside the allowed regions are refused
 * through the runtime and bedrock-mantle. Then the export action: audited, and a policy that does
 * not validate is refused before anything is handed out.
 */
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import {
  AttachUserPolicyCommand,
  CreateRoleCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  IAMClient,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { AttachPolicyCommand, CreatePolicyCommand, OrganizationsClient, UpdatePolicyCommand } from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import OpenAI from "openai";
import { createTranslator } from "use-intl/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import messages from "@/lib/i18n/messages/en.json";
import { ADMIN_CREDENTIALS, createKeysTestEnv, type KeysTestEnv } from "@/tests/support/keys-env";
import { ActionError } from "@/lib/actions/errors";
import { awsError } from "@/sandbox/src/testing/clients";

const ctx = vi.hoisted(() => ({ user: null as SessionUser | null, db: undefined as unknown }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/http/request-meta", () => ({ requestMeta: async () => ({ ip: "203.0.113.9", userAgent: "vitest" }) }));
vi.mock("next-intl/server", () => ({
  getTranslations: async (namespace: string) => createTranslator({ locale: "en", messages, namespace: namespace as "errors" }),
}));
vi.mock("@/lib/auth/session", () => ({ currentUser: async () => ctx.user, sessionUser: async () => ctx.user }));
vi.mock("@/lib/db", () => ({ db: () => ctx.db }));

const { exportGuardrailAction } = await import("./actions");
const { exportText, generateGuardrails } = await import("./service");

const STAGING = "222233334444";
const CONSOLE_ROLE = `arn:aws:iam::${STAGING}:role/BedrockKeyConsole`;
const HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0";
const SETTINGS = { configuredExtraPolicies: [], regions: ["us-east-1"], consolePrincipalArns: [] };

let env: KeysTestEnv;
let org: OrganizationsClient;
let stagingRoot: IAMClient;
let consoleIam: IAMClient;
let scpId: string;

const denied = (action: string, resource: string, principal: string) =>
  `User: ${principal} is not authorized to perform: ${action} on resource: ${resource} with an explicit deny in a service control policy`;

beforeAll(async () => {
  env = await createKeysTestEnv();
  ctx.db = env.db;
  const url = env.sandbox.url;
  // The org policy: keys live at most 90 days.
  await env.db.orgPolicy.create({
    data: { id: "org", version: 1, maxKeyAgeDays: 90, defaultExpiryDays: 30, longTermRequiresApproval: true, shortTermSelfService: true, shortTermMaxMinutes: 720, pickupWindowHours: 72 },
  });
  // A member account the console manages through its role (issue 14), as the accounts page adds one.
  const res = await fetch(`${url}/_sandbox/accounts`, { method: "POST", body: JSON.stringify({ id: STAGING, name: "Staging" }), headers: { "content-type": "application/json" } });
  const made = (await res.json()) as { adminAccessKeyId: string; adminSecretAccessKey: string };
  const stagingCreds = { accessKeyId: made.adminAccessKeyId, secretAccessKey: made.adminSecretAccessKey };
  stagingRoot = new IAMClient({ endpoint: url, region: "us-east-1", credentials: stagingCreds, maxAttempts: 1 });
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole" }] };
  await stagingRoot.send(new CreateRoleCommand({ RoleName: "BedrockKeyConsole", AssumeRolePolicyDocument: JSON.stringify(trust) }));
  await stagingRoot.send(new PutRolePolicyCommand({ RoleName: "BedrockKeyConsole", PolicyName: "console", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:*", Resource: "*" }] }) }));
  await env.db.awsAccount.create({ data: { id: STAGING, name: "Staging", roleArn: CONSOLE_ROLE, regions: "" } });
  const sts = new STSClient({ endpoint: url, region: "us-east-1", credentials: ADMIN_CREDENTIALS, maxAttempts: 1 });
  const session = (await sts.send(new AssumeRoleCommand({ RoleArn: CONSOLE_ROLE, RoleSessionName: "bedrock-key-console" }))).Credentials!;
  consoleIam = new IAMClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: session.AccessKeyId!, secretAccessKey: session.SecretAccessKey!, sessionToken: session.SessionToken! },
    maxAttempts: 1,
  });
  org = new OrganizationsClient({ endpoint: url, region: "us-east-1", credentials: ADMIN_CREDENTIALS, maxAttempts: 1 });

  // Generate from the org policy and attach, as an admin would with the downloaded JSON.
  const g = await generateGuardrails(env.db, SETTINGS, { denyLongTerm: false, customStatements: "" });
  expect(g.inputs.consolePrincipalArns).toEqual([CONSOLE_ROLE]);
  const created = await org.send(new CreatePolicyCommand({ Name: g.scp.name, Description: "guardrails", Type: "SERVICE_CONTROL_POLICY", Content: exportText(g.scp, "json").text }));
  scpId = created.Policy!.PolicySummary!.Id!;
  await org.send(new AttachPolicyCommand({ PolicyId: scpId, TargetId: STAGING }));
  for (const name of ["BedrockAPIKey-ci", "BedrockAPIKey-ok", "BedrockAPIKey-root"]) {
    await stagingRoot.send(new CreateUserCommand({ UserName: name }));
    await stagingRoot.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: "arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess" }));
  }
});
afterAll(async () => {
  await env?.close();
});

const create = (iam: IAMClient, userName: string, days?: number) =>
  iam.send(new CreateServiceSpecificCredentialCommand({ UserName: userName, ServiceName: "bedrock.amazonaws.com", ...(days ? { CredentialAgeDays: days } : {}) }));

describe("the generated SCP, attached in the sandbox", () => {
  const session = `arn:aws:sts::${STAGING}:assumed-role/BedrockKeyConsole/bedrock-key-console`;
  const user = (name: string) => `arn:aws:iam::${STAGING}:user/${name}`;

  it("refuses a key with no expiry, even from the console's role", async () => {
    const err = await awsError(create(consoleIam, "BedrockAPIKey-ci"));
    expect(err).toMatchObject({ name: "AccessDenied", status: 403 });
    expect(err.message).toBe(denied("iam:CreateServiceSpecificCredential", user("BedrockAPIKey-ci"), session));
  });

  it("refuses a key living longer than the policy's maximum", async () => {
    const err = await awsError(create(consoleIam, "BedrockAPIKey-ci", 91));
    expect(err.message).toBe(denied("iam:CreateServiceSpecificCredential", user("BedrockAPIKey-ci"), session));
  });

  it("lets the console's role create a key with an allowed age", async () => {
    const out = await create(consoleIam, "BedrockAPIKey-ok", 90);
    expect(out.ServiceSpecificCredential?.ServiceCredentialSecret).toMatch(/^ABSK/);
    expect(out.ServiceSpecificCredential?.ExpirationDate).toBeInstanceOf(Date);
  });

  it("refuses keys made by anyone but the console — the account's root user included", async () => {
    const err = await awsError(create(stagingRoot, "BedrockAPIKey-root", 30));
    expect(err.message).toBe(denied("iam:CreateServiceSpecificCredential", user("BedrockAPIKey-root"), `arn:aws:iam::${STAGING}:root`));
  });

  it("refuses bearer-token calls outside the allowed regions, through the runtime and bedrock-mantle", async () => {
    const apiKey = (await create(consoleIam, "BedrockAPIKey-ok", 30)).ServiceSpecificCredential!.ServiceCredentialSecret!;
    const converse = async (region: string) => {
      const client = new BedrockRuntimeClient({ region, endpoint: `${env.sandbox.url}/bedrock-runtime/${region}`, token: { token: apiKey }, authSchemePreference: ["httpBearerAuth"], maxAttempts: 1 });
      try {
        return await client.send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: "user", content: [{ text: "Hello" }] }] }));
      } finally {
        client.destroy();
      }
    };
    const mantle = (region: string) =>
      new OpenAI({ apiKey, baseURL: `${env.sandbox.url}/bedrock-mantle/${region}/v1`, maxRetries: 0 }).chat.completions.create({ model: "amazon.nova-micro-v1:0", messages: [{ role: "user", content: "Hello" }] });
    expect((await converse("us-east-1")).output?.message?.role).toBe("assistant");
    expect((await mantle("us-east-1")).choices[0]?.message.role).toBe("assistant");
    const runtimeErr = await awsError(converse("eu-west-1"));
    expect(runtimeErr).toMatchObject({ name: "AccessDeniedException", status: 403 });
    expect(runtimeErr.message).toBe(denied("bedrock:CallWithBearerToken", "*", user("BedrockAPIKey-ok")));
    const mantleErr = (await mantle("eu-west-1").catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(mantleErr.status).toBe(403);
    expect(mantleErr.message).toContain(denied("bedrock-mantle:CallWithBearerToken", "*", user("BedrockAPIKey-ok")));
  });

  it("short-term only: long-term keys can be neither made nor used, through either door", async () => {
    const apiKey = (await create(consoleIam, "BedrockAPIKey-ci", 30)).ServiceSpecificCredential!.ServiceCredentialSecret!;
    const g = await generateGuardrails(env.db, SETTINGS, { denyLongTerm: true, customStatements: "" });
    await org.send(new UpdatePolicyCommand({ PolicyId: scpId, Content: exportText(g.scp, "json").text }));
    expect((await awsError(create(consoleIam, "BedrockAPIKey-ci", 30))).message).toContain("with an explicit deny in a service control policy");
    const client = new BedrockRuntimeClient({ region: "us-east-1", endpoint: `${env.sandbox.url}/bedrock-runtime/us-east-1`, token: { token: apiKey }, authSchemePreference: ["httpBearerAuth"], maxAttempts: 1 });
    const err = await awsError(client.send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: "user", content: [{ text: "Hello" }] }] })));
    client.destroy();
    expect(err.message).toBe(denied("bedrock:CallWithBearerToken", "*", user("BedrockAPIKey-ci")));
    const mantleErr = (await new OpenAI({ apiKey, baseURL: `${env.sandbox.url}/bedrock-mantle/us-east-1/v1`, maxRetries: 0 })
      .chat.completions.create({ model: "amazon.nova-micro-v1:0", messages: [{ role: "user", content: "Hello" }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(mantleErr.message).toContain(denied("bedrock-mantle:CallWithBearerToken", "*", user("BedrockAPIKey-ci")));
  });
});

describe("validation before hand-out", () => {
  it("a policy that does not validate is refused, and AWS would refuse it too", async () => {
    const custom = '{"Sid":"Broken","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}';
    const g = await generateGuardrails(env.db, SETTINGS, { denyLongTerm: false, customStatements: custom });
    expect(g.scp.issues.map((i) => i.code)).toEqual(["principal"]);
    expect(() => exportText(g.scp, "json")).toThrow(ActionError);
    // The sandbox's Organizations (AWS's rules) refuses the same document.
    const err = await awsError(org.send(new CreatePolicyCommand({ Name: "broken", Description: "", Type: "SERVICE_CONTROL_POLICY", Content: g.scp.json })));
    expect(err.name).toBe("MalformedPolicyDocumentException");
  });
});

describe("the export action", () => {
  async function as(role: "admin" | "devA") {
    const a = await env.actor(env.users[role]);
    ctx.user = { ...a, name: role, locale: "en", viaSso: false, mfaEnrolmentDue: false };
  }
  const lastAudit = () => env.db.auditEntry.findFirstOrThrow({ orderBy: { id: "desc" } });

  it("hands an admin the SCP as JSON and the boundary as Terraform, audited", async () => {
    await as("admin");
    const json = await exportGuardrailAction({ kind: "scp", format: "json" });
    expect(json.ok).toBe(true);
    if (!json.ok) return;
    expect(json.data.fileName).toBe("bedrock-key-guardrails-scp.json");
    expect(JSON.parse(json.data.text).Statement.map((s: { Sid: string }) => s.Sid)).toContain("DenyBedrockKeysWithoutExpiry");
    const entry = await lastAudit();
    expect(entry).toMatchObject({ action: "guardrails.export", result: "success", actorEmail: "admin@example.com", targetType: "guardrail", targetId: "scp" });
    expect(JSON.parse(entry.details)).toMatchObject({ kind: "scp", format: "json", statements: expect.arrayContaining(["DenyBedrockKeysOverMaxAge"]) });

    const tf = await exportGuardrailAction({ kind: "boundary", format: "terraform" });
    expect(tf.ok && tf.data.text).toContain('resource "aws_iam_policy" "bedrock_key_user_boundary"');
  });

  it("refuses a policy with a syntax error, with a clear message, and audits the refusal", async () => {
    await as("admin");
    const out = await exportGuardrailAction({ kind: "scp", format: "json", customStatements: '{"Effect":"Deny",' });
    expect(out).toMatchObject({ ok: false, error: expect.stringContaining("does not validate (1 problem)") });
    expect(await lastAudit()).toMatchObject({ action: "guardrails.export", result: "failure" });
    expect(JSON.parse((await lastAudit()).details)).toMatchObject({ reason: "guardrailsInvalid", issues: ["customJson"] });
  });

  it("refuses non-admins and anonymous callers", async () => {
    await as("devA");
    expect(await exportGuardrailAction({ kind: "scp", format: "json" })).toMatchObject({ ok: false });
    expect(await lastAudit()).toMatchObject({ action: "guardrails.export", result: "failure", actorEmail: "dev-a@example.com" });
    ctx.user = null;
    const before = await env.db.auditEntry.count();
    expect(await exportGuardrailAction({ kind: "scp", format: "json" })).toMatchObject({ ok: false });
    expect(await env.db.auditEntry.count()).toBe(before);
  });
});
