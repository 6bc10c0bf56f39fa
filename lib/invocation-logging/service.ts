import {
  GetModelInvocationLoggingConfigurationCommand,
  type LoggingConfig,
  PutModelInvocationLoggingConfigurationCommand,
} from "@aws-sdk/client-bedrock";
import { CreateLogGroupCommand, DeleteLogGroupCommand, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateRoleCommand, DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import type { AccountAccess, AccountRef } from "@/lib/accounts/access";
import { regionsOf } from "@/lib/accounts/service";
import { ActionError } from "@/lib/actions/errors";
import type { RegionalClients } from "@/lib/aws/bedrock";
import { type AwsService, AwsServiceError, callAws, toAwsServiceError } from "@/lib/aws/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AuditSink } from "@/lib/keys/types";

/**
 * Model invocation logging per account × region (issue 15): read with
 * GetModelInvocationLoggingConfiguration into InvocationLoggingStatus, and switched on to
 * CloudWatch Logs in one step by an admin — log group, delivery role, configuration, metadata only
 * (no prompt, response, image or embedding data). The console never reads or stores bodies, even
 * where the account delivers them.
 */

export interface LoggingDeps {
  db: PrismaClient;
  access: AccountAccess;
  clients: RegionalClients;
  now: () => Date;
  /** BEDROCK_REGIONS: the regions of an account that names none. */
  defaultRegions: readonly string[];
  /**
   * Waits before retrying PutModelInvocationLoggingConfiguration after creating the delivery role:
   * IAM is eventually consistent, and Bedrock refuses a role it cannot assume yet.
   */
  roleRetryDelaysMs?: readonly number[];
}

export type LoggingState = "on" | "off" | "s3_only" | "error";

/** AWS's default name for the group, as the Bedrock console suggests it. */
export const DEFAULT_LOG_GROUP = "/aws/bedrock/modelinvocations";
export const DELIVERY_ROLE_NAME = "BedrockKeyConsoleInvocationLogging";
const DELIVERY_ROLE_PATH = "/service-role/";
/** One inline policy per region: each region's group needs its own grant. */
const deliveryPolicyName = (region: string) => `InvocationLogsTo-${region}`;

export const LOGGING_TARGET = "invocation-logging";

export interface LoggingStatusView {
  accountId: string;
  region: string;
  state: LoggingState;
  logGroupName: string | null;
  roleArn: string | null;
  s3BucketName: string | null;
  textDelivery: boolean;
  imageDelivery: boolean;
  embeddingDelivery: boolean;
  checkedAt: Date;
  errorCode: string | null;
}

function stateOf(config: LoggingConfig | undefined): LoggingState {
  if (config?.cloudWatchConfig?.logGroupName) return "on";
  return config?.s3Config?.bucketName ? "s3_only" : "off";
}

async function getConfig(deps: LoggingDeps, account: AccountRef, region: string): Promise<LoggingConfig | undefined> {
  const out = await callAws("bedrock", "GetModelInvocationLoggingConfiguration", () =>
    deps.clients.bedrock(account, region).send(new GetModelInvocationLoggingConfigurationCommand({})),
  );
  return out.loggingConfig;
}

export async function saveStatus(db: PrismaClient, row: LoggingStatusView): Promise<LoggingStatusView> {
  const { accountId, region, ...data } = row;
  await db.invocationLoggingStatus.upsert({
    where: { accountId_region: { accountId, region } },
    create: { accountId, region, ...data, error: null },
    update: { ...data, error: null },
  });
  return row;
}

/** The status row a configuration read gives (also the cost ingest's, lib/cost/ingest.ts). */
export const statusFrom = (accountId: string, region: string, config: LoggingConfig | undefined, now: Date): LoggingStatusView => ({
  accountId,
  region,
  state: stateOf(config),
  logGroupName: config?.cloudWatchConfig?.logGroupName ?? null,
  roleArn: config?.cloudWatchConfig?.roleArn ?? null,
  s3BucketName: config?.s3Config?.bucketName ?? null,
  textDelivery: config?.textDataDeliveryEnabled === true,
  imageDelivery: config?.imageDataDeliveryEnabled === true,
  embeddingDelivery: config?.embeddingDataDeliveryEnabled === true,
  checkedAt: now,
  errorCode: null,
});

/**
 * Read one account × region and record it. A failure (access denied, region unreachable) is
 * recorded as state "error" with AWS's code; what was known before about the destination is kept.
 */
export async function checkLogging(deps: LoggingDeps, account: AccountRef, region: string): Promise<LoggingStatusView> {
  const now = deps.now();
  try {
    return await saveStatus(deps.db, statusFrom(account.id, region, await getConfig(deps, account, region), now));
  } catch (error) {
    const row = await recordError(deps.db, account.id, region, now, toAwsServiceError(error, "bedrock", "GetModelInvocationLoggingConfiguration").awsCode);
    return { ...row, state: "error" };
  }
}

/** Every active account × region, read now (the page's "Check again"). */
export async function checkAllLogging(deps: LoggingDeps): Promise<LoggingStatusView[]> {
  await deps.access.ensureDefault().catch(() => undefined);
  const accounts = await deps.db.awsAccount.findMany({ where: { status: "active" }, select: { id: true, roleArn: true, externalId: true, regions: true }, orderBy: { id: "asc" } });
  const out: LoggingStatusView[] = [];
  for (const account of accounts) out.push(...(await Promise.all(regionsOf(account, deps.defaultRegions).map((r) => checkLogging(deps, account, r)))));
  return out;
}

/** The recorded status of every account × region, for the accounts page. */
export async function loggingStatuses(db: PrismaClient): Promise<LoggingStatusView[]> {
  const rows = await db.invocationLoggingStatus.findMany({ orderBy: [{ accountId: "asc" }, { region: "asc" }] });
  return rows.map((r) => ({ ...r, state: (["on", "off", "s3_only"].includes(r.state) ? r.state : "error") as LoggingState }));
}

export interface EnableInput {
  accountId: string;
  region: string;
  /** Confirmation that an S3-only configuration gets CloudWatch Logs delivery added, S3 kept. */
  keepS3: boolean;
}

/** What "switch on" created, so a failure can undo it and the audit entry can say it. */
interface Created {
  logGroup?: string;
  role?: string;
  rolePolicy?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Switch invocation logging on to CloudWatch Logs, metadata only: the log group (created if
 * missing), the delivery role (created or reused; trusted by bedrock.amazonaws.com for this
 * account only, allowed to write to that group only), then the configuration. An account that
 * delivers to S3 only is not overwritten: the admin confirms adding CloudWatch Logs, S3 kept. A
 * failing step undoes what this run created, and the audit entry records both.
 */
export async function enableLogging(deps: LoggingDeps, input: EnableInput, audit: AuditSink): Promise<{ status: LoggingStatusView; created: Created; alreadyOn: boolean }> {
  const account = await deps.db.awsAccount.findUnique({ where: { id: input.accountId }, select: { id: true, name: true, roleArn: true, externalId: true, regions: true, status: true } });
  if (!account) throw new ActionError("notFound");
  audit.target({ type: LOGGING_TARGET, id: `${account.id}/${input.region}`, label: `${account.name} · ${input.region}` });
  if (!regionsOf(account, deps.defaultRegions).includes(input.region)) {
    throw new ActionError("invalidInput", {}, { region: { code: "field.choice" } });
  }
  const created: Created = {};
  let step = "GetModelInvocationLoggingConfiguration";
  try {
    const before = await getConfig(deps, account, input.region);
    const state = stateOf(before);
    audit.detail({ account: account.id, region: input.region, before: state, ...(before?.s3Config?.bucketName ? { s3Bucket: before.s3Config.bucketName } : {}) });
    if (state === "on") {
      audit.detail({ outcome: "already_on" });
      return { status: await saveStatus(deps.db, statusFrom(account.id, input.region, before, deps.now())), created, alreadyOn: true };
    }
    if (state === "s3_only" && !input.keepS3) throw new ActionError("invocationLogging.s3Only", { bucket: before?.s3Config?.bucketName ?? "" });

    const logs = deps.clients.logs(account, input.region);
    const logGroupName = DEFAULT_LOG_GROUP;
    step = "DescribeLogGroups";
    const groups = await callAws("logs", "DescribeLogGroups", () => logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName, limit: 50 })));
    if (!groups.logGroups?.some((g) => g.logGroupName === logGroupName)) {
      step = "CreateLogGroup";
      try {
        await callAws("logs", "CreateLogGroup", () => logs.send(new CreateLogGroupCommand({ logGroupName })));
        created.logGroup = logGroupName;
      } catch (error) {
        // Created meanwhile (another admin, another instance): it exists, which is all we need.
        if (!(error instanceof AwsServiceError && error.awsCode === "ResourceAlreadyExists")) throw error;
      }
    }

    const iam = deps.access.clientsFor(account).iam;
    step = "GetRole";
    let roleArn: string;
    try {
      roleArn = (await callAws("iam", "GetRole", () => iam.send(new GetRoleCommand({ RoleName: DELIVERY_ROLE_NAME })))).Role!.Arn!;
    } catch (error) {
      if (!(error instanceof AwsServiceError && error.kind === "NotFound")) throw error;
      step = "CreateRole";
      const trust = {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "bedrock.amazonaws.com" },
            Action: "sts:AssumeRole",
            // AWS's recommended guard against the confused deputy: only Bedrock acting for this account.
            Condition: { StringEquals: { "aws:SourceAccount": account.id }, ArnLike: { "aws:SourceArn": `arn:aws:bedrock:*:${account.id}:*` } },
          },
        ],
      };
      const role = await callAws("iam", "CreateRole", () =>
        iam.send(
          new CreateRoleCommand({
            RoleName: DELIVERY_ROLE_NAME,
            Path: DELIVERY_ROLE_PATH,
            AssumeRolePolicyDocument: JSON.stringify(trust),
            Description: "Bedrock model invocation logging to CloudWatch Logs (created by Bedrock Key Console)",
          }),
        ),
      );
      roleArn = role.Role!.Arn!;
      created.role = roleArn;
    }
    step = "PutRolePolicy";
    const groupArn = `arn:aws:logs:${input.region}:${account.id}:log-group:${logGroupName}`;
    const permissions = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${groupArn}:log-stream:*` }],
    };
    await callAws("iam", "PutRolePolicy", () => iam.send(new PutRolePolicyCommand({ RoleName: DELIVERY_ROLE_NAME, PolicyName: deliveryPolicyName(input.region), PolicyDocument: JSON.stringify(permissions) })));
    // On a reused role the grant (to the console's own role, for this group) is left on failure.
    if (created.role) created.rolePolicy = deliveryPolicyName(input.region);

    step = "PutModelInvocationLoggingConfiguration";
    const loggingConfig: LoggingConfig = {
      cloudWatchConfig: { logGroupName, roleArn },
      ...(before?.s3Config ? { s3Config: before.s3Config } : {}),
      // Metadata only: token counts and identities, never prompt, response, image or embedding data.
      textDataDeliveryEnabled: false,
      imageDataDeliveryEnabled: false,
      embeddingDataDeliveryEnabled: false,
    };
    const bedrock = deps.clients.bedrock(account, input.region);
    const delays = created.role ? (deps.roleRetryDelaysMs ?? [2_000, 4_000, 8_000]) : [];
    for (let attempt = 0; ; attempt++) {
      try {
        await callAws("bedrock", "PutModelInvocationLoggingConfiguration", () => bedrock.send(new PutModelInvocationLoggingConfigurationCommand({ loggingConfig })));
        break;
      } catch (error) {
        // A new role is not assumable everywhere at once; Bedrock says "Failed to validate permissions".
        if (error instanceof AwsServiceError && error.kind === "Validation" && attempt < delays.length) {
          await sleep(delays[attempt]!);
          continue;
        }
        throw error;
      }
    }
    step = "GetModelInvocationLoggingConfiguration";
    const status = await saveStatus(deps.db, statusFrom(account.id, input.region, await getConfig(deps, account, input.region), deps.now()));
    audit.detail({ outcome: "enabled", created, ...(before?.s3Config ? { keptS3: true } : {}) });
    return { status, created, alreadyOn: false };
  } catch (error) {
    const undone = await undo(deps, account, input.region, created);
    // The console's own refusals (S3 only, unknown account) pass through; AWS's name the failed step.
    const aws = error instanceof ActionError && !(error instanceof AwsServiceError) ? null : toAwsServiceError(error, SERVICE_OF_STEP[step] ?? "bedrock", step);
    audit.detail({ created, undone, ...(aws ? { failedStep: step, awsCode: aws.awsCode } : {}) });
    // Not even the configuration could be read (access denied, region unreachable): the page says so.
    if (aws && step === "GetModelInvocationLoggingConfiguration" && Object.keys(created).length === 0) await recordError(deps.db, account.id, input.region, deps.now(), aws.awsCode);
    throw aws ?? error;
  }
}

const SERVICE_OF_STEP: Record<string, AwsService> = {
  GetModelInvocationLoggingConfiguration: "bedrock",
  PutModelInvocationLoggingConfiguration: "bedrock",
  DescribeLogGroups: "logs",
  CreateLogGroup: "logs",
  GetRole: "iam",
  CreateRole: "iam",
  PutRolePolicy: "iam",
};

async function recordError(db: PrismaClient, accountId: string, region: string, now: Date, code: string) {
  return db.invocationLoggingStatus.upsert({
    where: { accountId_region: { accountId, region } },
    create: { accountId, region, state: "error", checkedAt: now, errorCode: code },
    update: { state: "error", checkedAt: now, errorCode: code },
  });
}

/** Remove what a failed "switch on" created, newest first; what cannot be removed is reported. */
async function undo(deps: LoggingDeps, account: AccountRef, region: string, created: Created): Promise<{ removed: string[]; left: string[] }> {
  const removed: string[] = [];
  const left: string[] = [];
  const iam = deps.access.clientsFor(account).iam;
  const attempt = async (what: string, run: () => Promise<unknown>) => {
    try {
      await run();
      removed.push(what);
    } catch {
      left.push(what);
    }
  };
  if (created.rolePolicy) {
    const policyName = created.rolePolicy;
    await attempt(`role-policy:${policyName}`, () => callAws("iam", "DeleteRolePolicy", () => iam.send(new DeleteRolePolicyCommand({ RoleName: DELIVERY_ROLE_NAME, PolicyName: policyName }))));
  }
  if (created.role) await attempt(`role:${created.role}`, () => callAws("iam", "DeleteRole", () => iam.send(new DeleteRoleCommand({ RoleName: DELIVERY_ROLE_NAME }))));
  if (created.logGroup) {
    const logGroupName = created.logGroup;
    await attempt(`log-group:${logGroupName}`, () => callAws("logs", "DeleteLogGroup", () => deps.clients.logs(account, region).send(new DeleteLogGroupCommand({ logGroupName }))));
  }
  return { removed, left };
}

