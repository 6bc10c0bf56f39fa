/**
 * Invocation logging (issue 15) against the sandbox: read per account × region, switched on in
 * one step (log group, delivery role, metadata-only configuration), an S3-only configuration
 * never overwritten silently, a failing step undone and recorded, access denied and an
 * unreachable region shown as such.
 */
import { GetModelInvocationLoggingConfigurationCommand, PutModelInvocationLoggingConfigurationCommand } from "@aws-sdk/client-bedrock";
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateRoleCommand, GetRoleCommand, GetRolePolicyCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberRoleFromTemplate } from "@/lib/accounts/member-template";
import { ActionError } from "@/lib/actions/errors";
import type { RegionalClients } from "@/lib/aws/bedrock";
import { issueLongTermKey } from "@/lib/keys/issue";
import { createAwsClients } from "@/lib/aws/clients";
import { issueInput, KEY_PATH, type KeysTestEnv, recordingAudit } from "@/tests/support/keys-env";
import { refreshModelCatalogue } from "@/lib/models/service";
import { createRegionalTestEnv, OWN_ACCOUNT as OWN } from "@/tests/support/models-env";
import { checkAllLogging, checkLogging, DEFAULT_LOG_GROUP, DELIVERY_ROLE_NAME, enableLogging, type LoggingDeps, loggingStatuses } from "./service";

let env: KeysTestEnv;
let clients: RegionalClients;
let offlineClients: () => RegionalClients;
let deps: LoggingDeps;
const own = { id: OWN, roleArn: null, externalId: null };

beforeAll(async () => {
  const t = await createRegionalTestEnv(["us-east-1", "us-west-2", "eu-west-1"]);
  ({ env, clients, offlineClients } = t);
  deps = { ...t.base, roleRetryDelaysMs: [] };
  await t.access.ensureDefault();
});
afterAll(() => env?.close());

const groupsIn = async (region: string) =>
  ((await clients.logs(own, region).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: DEFAULT_LOG_GROUP }))).logGroups ?? []).map((g) => g.logGroupName);
const roleExists = () =>
  env.aws.iam.send(new GetRoleCommand({ RoleName: DELIVERY_ROLE_NAME })).then(
    () => true,
    (e: Error) => (e.name === "NoSuchEntityException" ? false : Promise.reject(e)),
  );
const configIn = async (region: string) => (await clients.bedrock(own, region).send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig;

describe("reading", () => {
  it("every account × region is read and recorded: off where nothing is configured", async () => {
    const rows = await checkAllLogging(deps);
    expect(rows.map((r) => [r.accountId, r.region, r.state])).toEqual([
      [OWN, "us-east-1", "off"],
      [OWN, "us-west-2", "off"],
      [OWN, "eu-west-1", "off"],
    ]);
    expect((await loggingStatuses(env.db)).every((r) => r.state === "off" && r.errorCode === null)).toBe(true);
  });

  it("access denied and an unreachable region are recorded as errors with AWS's code", async () => {
    await env.fault("GetModelInvocationLoggingConfiguration", { code: "AccessDeniedException", status: 403, message: "User is not authorized to perform: bedrock:GetModelInvocationLoggingConfiguration" }, 1, "bedrock");
    expect(await checkLogging(deps, own, "eu-west-1")).toMatchObject({ state: "error", errorCode: "AccessDenied" });
    const offline = { ...deps, clients: offlineClients() };
    expect(await checkLogging(offline, own, "eu-west-1")).toMatchObject({ state: "error", errorCode: "ECONNREFUSED" });
    expect(await checkLogging(deps, own, "eu-west-1")).toMatchObject({ state: "off", errorCode: null });
  });
});

describe("switching on", () => {
  it("a failing step undoes what it created and the audit entry says what was created, what failed and what was undone", async () => {
    await env.fault("PutModelInvocationLoggingConfiguration", { code: "ValidationException", status: 400, message: "Failed to validate permissions for log group" }, 1, "bedrock");
    const audit = recordingAudit();
    const error = await enableLogging(deps, { accountId: OWN, region: "eu-west-1", keepS3: false }, audit).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect(audit.details).toMatchObject({
      failedStep: "PutModelInvocationLoggingConfiguration",
      awsCode: "Validation",
      created: { logGroup: DEFAULT_LOG_GROUP, role: expect.stringContaining(`:role/service-role/${DELIVERY_ROLE_NAME}`), rolePolicy: "InvocationLogsTo-eu-west-1" },
      undone: { removed: ["role-policy:InvocationLogsTo-eu-west-1", expect.stringMatching(/^role:/), `log-group:${DEFAULT_LOG_GROUP}`], left: [] },
    });
    expect(await groupsIn("eu-west-1")).toEqual([]);
    expect(await roleExists()).toBe(false);
    expect(await configIn("eu-west-1")).toBeUndefined();
  });

  it("creates the log group and a delivery role Bedrock may assume, and configures metadata only; calls are then logged", async () => {
    const audit = recordingAudit();
    const result = await enableLogging(deps, { accountId: OWN, region: "us-east-1", keepS3: false }, audit);
    expect(result.alreadyOn).toBe(false);
    expect(result.status).toMatchObject({ state: "on", logGroupName: DEFAULT_LOG_GROUP, roleArn: `arn:aws:iam::${OWN}:role/service-role/${DELIVERY_ROLE_NAME}`, textDelivery: false });
    expect(audit.details).toMatchObject({ outcome: "enabled", before: "off", created: { logGroup: DEFAULT_LOG_GROUP, role: result.status.roleArn } });
    expect(await groupsIn("us-east-1")).toEqual([DEFAULT_LOG_GROUP]);
    const role = await env.aws.iam.send(new GetRoleCommand({ RoleName: DELIVERY_ROLE_NAME }));
    const trust = JSON.parse(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!)) as { Statement: { Principal: { Service: string }; Action: string; Condition: unknown }[] };
    expect(trust.Statement[0]).toMatchObject({ Principal: { Service: "bedrock.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": OWN } } });
    const grant = await env.aws.iam.send(new GetRolePolicyCommand({ RoleName: DELIVERY_ROLE_NAME, PolicyName: "InvocationLogsTo-us-east-1" }));
    expect(JSON.parse(decodeURIComponent(grant.PolicyDocument!))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:us-east-1:${OWN}:log-group:${DEFAULT_LOG_GROUP}:log-stream:*` }],
    });
    expect(await configIn("us-east-1")).toMatchObject({ textDataDeliveryEnabled: false, imageDataDeliveryEnabled: false, embeddingDataDeliveryEnabled: false, cloudWatchConfig: { logGroupName: DEFAULT_LOG_GROUP } });
    // Bedrock now delivers: a call writes one metadata record to the group.
    const key = (await issueLongTermKey(env.deps, await env.actor(env.users.admin), issueInput(env, { name: "Logged calls" }))).secret;
    expect((await env.converse(key)).status).toBe(200);
    const groups = (await (await fetch(`${env.sandbox.url}/_sandbox/logs/groups?region=us-east-1`)).json()) as { logGroups: { logGroupName: string; streams: { events: number }[] }[] };
    expect(groups.logGroups).toEqual([{ logGroupName: DEFAULT_LOG_GROUP, streams: [{ logStreamName: "aws/bedrock/modelinvocations", events: 1 }] }]);
  });

  it("again: nothing is created, it is already on", async () => {
    const audit = recordingAudit();
    const result = await enableLogging(deps, { accountId: OWN, region: "us-east-1", keepS3: false }, audit);
    expect(result).toMatchObject({ alreadyOn: true, created: {} });
    expect(audit.details).toMatchObject({ outcome: "already_on" });
  });

  it("the role is reused in another region (its own grant added)", async () => {
    const result = await enableLogging(deps, { accountId: OWN, region: "eu-west-1", keepS3: false }, recordingAudit());
    expect(result.created).toEqual({ logGroup: DEFAULT_LOG_GROUP });
    expect(result.status.roleArn).toBe(`arn:aws:iam::${OWN}:role/service-role/${DELIVERY_ROLE_NAME}`);
  });

  it("an S3-only configuration is not overwritten without confirmation; confirmed, CloudWatch Logs is added and S3 kept", async () => {
    await clients.bedrock(own, "us-west-2").send(new PutModelInvocationLoggingConfigurationCommand({ loggingConfig: { s3Config: { bucketName: "audit-archive" }, textDataDeliveryEnabled: true } }));
    expect(await checkLogging(deps, own, "us-west-2")).toMatchObject({ state: "s3_only", s3BucketName: "audit-archive", textDelivery: true });
    const refused = await enableLogging(deps, { accountId: OWN, region: "us-west-2", keepS3: false }, recordingAudit()).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "invocationLogging.s3Only", params: { bucket: "audit-archive" } });
    expect(await configIn("us-west-2")).toEqual({ s3Config: { bucketName: "audit-archive" }, textDataDeliveryEnabled: true });
    expect(await groupsIn("us-west-2")).toEqual([]);

    const audit = recordingAudit();
    const result = await enableLogging(deps, { accountId: OWN, region: "us-west-2", keepS3: true }, audit);
    expect(result.status).toMatchObject({ state: "on", s3BucketName: "audit-archive", logGroupName: DEFAULT_LOG_GROUP, textDelivery: false });
    expect(audit.details).toMatchObject({ before: "s3_only", s3Bucket: "audit-archive", keptS3: true });
  });

  it("bad input changes nothing: a region the account does not use, an unknown account", async () => {
    await expect(enableLogging(deps, { accountId: OWN, region: "ap-south-1", keepS3: false }, recordingAudit())).rejects.toMatchObject({ code: "invalidInput" });
    await expect(enableLogging(deps, { accountId: "999999999999", region: "us-east-1", keepS3: false }, recordingAudit())).rejects.toMatchObject({ code: "notFound" });
    expect(await groupsIn("ap-south-1")).toEqual([]);
  });

  it("access denied on creating the log group: nothing left behind, recorded", async () => {
    await env.fault("CreateLogGroup", { code: "AccessDeniedException", status: 400, message: "User is not authorized to perform: logs:CreateLogGroup" }, 1, "logs");
    const audit = recordingAudit();
    const deps3 = { ...deps, defaultRegions: [...deps.defaultRegions, "ap-northeast-1"] };
    await expect(enableLogging(deps3, { accountId: OWN, region: "ap-northeast-1", keepS3: false }, audit)).rejects.toMatchObject({ code: "aws.accessDenied", kind: "AccessDenied" });
    expect(audit.details).toMatchObject({ failedStep: "CreateLogGroup", awsCode: "AccessDenied", created: {}, undone: { removed: [], left: [] } });
    expect(await configIn("ap-northeast-1")).toBeUndefined();
  });
});

describe("a member account", () => {
  it("is read and switched on through its member role (the template's grants), in that account only", async () => {
    const STAGING = "222233334444";
    const res = await fetch(`${env.sandbox.url}/_sandbox/accounts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: STAGING, name: "Staging" }) });
    const made = (await res.json()) as { adminAccessKeyId: string; adminSecretAccessKey: string };
    const stagingAdmin = createAwsClients({ region: "us-east-1", endpoint: env.sandbox.url, maxAttempts: 1, credentials: { accessKeyId: made.adminAccessKeyId, secretAccessKey: made.adminSecretAccessKey } });
    const role = memberRoleFromTemplate({ accountId: STAGING, consoleRoleArn: `arn:aws:iam::${OWN}:root`, externalId: "ext-staging-1", keyIamPath: KEY_PATH.replace(/^\/|\/$/g, "") });
    await stagingAdmin.iam.send(new CreateRoleCommand({ RoleName: role.roleName, AssumeRolePolicyDocument: role.trustPolicy }));
    for (const p of role.policies) await stagingAdmin.iam.send(new PutRolePolicyCommand({ RoleName: role.roleName, PolicyName: p.name, PolicyDocument: p.document }));
    await env.db.awsAccount.create({ data: { id: STAGING, name: "Staging", roleArn: `arn:aws:iam::${STAGING}:role/${role.roleName}`, externalId: "ext-staging-1", regions: "eu-central-1" } });
    const staging = { id: STAGING, roleArn: `arn:aws:iam::${STAGING}:role/${role.roleName}`, externalId: "ext-staging-1" };

    expect(await checkLogging(deps, staging, "eu-central-1")).toMatchObject({ accountId: STAGING, state: "off" });
    const result = await enableLogging(deps, { accountId: STAGING, region: "eu-central-1", keepS3: false }, recordingAudit());
    expect(result.status).toMatchObject({ accountId: STAGING, state: "on", roleArn: `arn:aws:iam::${STAGING}:role/service-role/${DELIVERY_ROLE_NAME}` });
    expect(await groupsIn("eu-central-1")).toEqual([]); // not in the console's own account
    expect(((await clients.logs(staging, "eu-central-1").send(new DescribeLogGroupsCommand({}))).logGroups ?? []).map((g) => g.logGroupName)).toEqual([DEFAULT_LOG_GROUP]);
    expect((await stagingAdmin.iam.send(new GetRoleCommand({ RoleName: DELIVERY_ROLE_NAME }))).Role?.Arn).toBe(result.status.roleArn);

    // The member role may read the catalogue there too.
    const outcome = await refreshModelCatalogue({ ...deps, defaultRegions: ["us-east-1"] }, { accountId: STAGING });
    expect(outcome.status === "done" && outcome.regions.map((r) => [r.accountId, r.region, r.ok])).toEqual([[STAGING, "eu-central-1", true]]);
  });
});
