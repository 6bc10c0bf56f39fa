/**
 * The usage sync across accounts (issue 14): every member account × region is read with its own
 * cursor and pace, through the account's own role; one that fails is reported on the account and
 * never stops the others.
 */
import { CreateRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUsageSync } from "@/lib/usage/sync-job";
import { createUsageTestEnv, type UsageTestEnv } from "@/tests/support/usage-env";
import { generateEvents } from "@/sandbox/src/traffic/events";
import { type AccountAccess, createAccountAccess } from "./access";
import { accountFailure, recordAccountResult } from "./service";

let env: UsageTestEnv;
let access: AccountAccess;
let roleArn: string;

beforeAll(async () => {
  env = await createUsageTestEnv();
  access = createAccountAccess({ db: env.db, own: env.aws, clientOptions: { region: "us-east-1", endpoint: env.sandbox.url, maxAttempts: 1 } });
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "usage-ext-1" } } }] };
  roleArn = (await env.aws.iam.send(new CreateRoleCommand({ RoleName: "UsageMember", AssumeRolePolicyDocument: JSON.stringify(trust) }))).Role!.Arn!;
  // What the member role grants the console for usage (docs/multi-account.md).
  const read = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "cloudtrail:LookupEvents", Resource: "*" }] };
  await env.aws.iam.send(new PutRolePolicyCommand({ RoleName: "UsageMember", PolicyName: "usage", PolicyDocument: JSON.stringify(read) }));
});
afterAll(() => env?.close());

describe("usage sync across accounts", () => {
  it("reads each account × region with its own cursor through its role; a failing account is reported and isolated", async () => {
    const to = Date.now() - 60_000;
    await env.insertEvents(generateEvents(120, { seed: 77, from: to - 5 * 86_400_000, to }).map((r) => ({ ...r, awsRegion: "us-east-1" })));
    await env.db.awsAccount.createMany({
      data: [
        // Reached through a role with the right ExternalId (the sandbox's one account plays the member).
        { id: "111122223333", name: "Staging", roleArn, externalId: "usage-ext-1" },
        // Its role was deleted: AssumeRole is refused.
        { id: "210987654321", name: "Team sandbox", roleArn: "arn:aws:iam::210987654321:role/Gone", externalId: "usage-ext-1" },
      ],
    });
    const members = [
      { accountId: "111122223333", name: "Staging", regions: ["us-east-1"], clientFor: (region: string) => access.cloudTrailFor({ id: "111122223333", roleArn, externalId: "usage-ext-1" }, region) },
      { accountId: "210987654321", name: "Team sandbox", regions: ["us-east-1", "us-west-2"], clientFor: (region: string) => access.cloudTrailFor({ id: "210987654321", roleArn: "arn:aws:iam::210987654321:role/Gone", externalId: "usage-ext-1" }, region) },
    ];
    const reported = new Map<string, unknown>();
    const deps = env.syncDeps({
      regions: ["us-east-1"],
      memberAccounts: async () => members,
      onAccountResults: async (results) => {
        for (const [id, error] of results) {
          reported.set(id, error);
          await recordAccountResult(env.db, id, new Date(), error === null ? null : accountFailure(error));
        }
      },
    });
    const outcome = await startUsageSync(deps, "manual");
    if (outcome.status !== "started") throw new Error("not started");
    const summary = await outcome.done;
    expect(summary.status).toBe("partial");
    const byStream = Object.fromEntries(summary.regions.map((r) => [`${r.accountId ?? "own"}/${r.region}`, r.status]));
    expect(byStream).toEqual({ "own/us-east-1": "done", "111122223333/us-east-1": "done", "210987654321/us-east-1": "failed", "210987654321/us-west-2": "failed" });
    // Every event stored once, although two streams read the same (sandbox) trail.
    expect(await env.db.usageEvent.count()).toBe(120);
    const cursors = await env.db.usageSyncCursor.findMany({ orderBy: [{ accountId: "asc" }, { region: "asc" }], select: { accountId: true, region: true, syncedThrough: true } });
    expect(cursors.map((c) => [c.accountId, c.region, c.syncedThrough !== null])).toEqual([
      ["", "us-east-1", true],
      ["111122223333", "us-east-1", true],
      ["210987654321", "us-east-1", false],
      ["210987654321", "us-west-2", false],
    ]);
    expect(reported.get("111122223333")).toBeNull();
    const failing = await env.db.awsAccount.findUniqueOrThrow({ where: { id: "210987654321" } });
    expect(failing.lastErrorCode).toBe("AccessDenied");
    expect(JSON.parse(failing.lastError!)).toMatchObject({ key: "accounts.assumeDenied" });
    expect((await env.db.awsAccount.findUniqueOrThrow({ where: { id: "111122223333" } })).lastError).toBeNull();
  });
});
