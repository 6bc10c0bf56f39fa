import { ListAttachedUserPoliciesCommand, ListUserPoliciesCommand, ListUserTagsCommand } from "@aws-sdk/client-iam";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ActionError } from "@/lib/actions/errors";
import { createAwsClients } from "@/lib/aws/clients";
import { issueLongTermKey } from "./issue";
import { ADMIN_CREDENTIALS, createKeysTestEnv, issueInput, type KeysTestEnv, recordingAudit } from "@/tests/support/keys-env";

let env: KeysTestEnv;
beforeAll(async () => {
  env = await createKeysTestEnv();
});
afterAll(async () => env?.close());
afterEach(async () => env.clearFaults());

const denied = { code: "AccessDenied", status: 403, message: "User: arn:aws:iam::123456789012:user/console is not authorized to perform: iam:X" };

describe("issuing a long-term key", () => {
  it("creates a tagged user with policies and a credential, and the key works", async () => {
    const admin = await env.actor(env.users.admin);
    const audit = recordingAudit();
    const reveal = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Checkout service", extraPolicies: ["AmazonBedrockMarketplaceAccess"] }), audit);

    expect(reveal.secret).toMatch(/^ABSK/);
    expect(reveal.iamUserName).toMatch(/^BedrockAPIKey-checkout-service-[a-z0-9]{4}$/);
    expect(reveal.region).toBe("us-east-1");
    expect(reveal.modelId).toBe("us.anthropic.claude-3-5-haiku-20241022-v1:0");
    expect(Date.parse(reveal.expiresAt!) - Date.parse(reveal.createdAt)).toBe(30 * 86_400_000);

    const tags = await env.aws.iam.send(new ListUserTagsCommand({ UserName: reveal.iamUserName }));
    expect(Object.fromEntries((tags.Tags ?? []).map((t) => [t.Key, t.Value]))).toEqual({
      owner: "dev-a@example.com",
      team: "Payments",
      purpose: "Payments bot",
      name: "Checkout service",
      "created-by": "admin@example.com",
      "console-key-id": reveal.keyId,
    });
    const attached = await env.aws.iam.send(new ListAttachedUserPoliciesCommand({ UserName: reveal.iamUserName }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyName).sort()).toEqual(["AmazonBedrockLimitedAccess", "AmazonBedrockMarketplaceAccess"]);
    expect(await env.consoleUsers()).toContain(reveal.iamUserName);

    const row = await env.db.apiKey.findUniqueOrThrow({ where: { id: reveal.keyId } });
    expect(row).toMatchObject({ state: "present", status: "Active", managed: true, consoleUser: true, credentialId: reveal.credentialId, teamId: env.teams.A.id });
    expect(audit.targets[0]).toMatchObject({ type: "apiKey", id: reveal.keyId, teamId: env.teams.A.id });
    expect(JSON.stringify(audit.details)).not.toContain(reveal.secret);

    const call = await env.converse(reveal.secret);
    expect(call.status).toBe(200);
    expect(call.body).toHaveProperty("output.message.role", "assistant");
  });

  it("applies the inline restrictions: other models and other networks are denied", async () => {
    const admin = await env.actor(env.users.admin);
    const onlyNova = await issueLongTermKey(
      env.deps,
      admin,
      issueInput(env, { name: "Nova only", restrictions: { models: ["amazon.nova-lite-v1:0"], cidrs: [], notAfter: "2099-12-31" } }),
    );
    expect((await env.converse(onlyNova.secret, "amazon.nova-lite-v1:0")).status).toBe(200);
    const other = await env.converse(onlyNova.secret, "us.anthropic.claude-3-5-haiku-20241022-v1:0");
    expect(other.status).toBe(403);
    expect(other.message).toMatch(/explicit deny in an identity-based policy/);
    const policies = await env.aws.iam.send(new ListUserPoliciesCommand({ UserName: onlyNova.iamUserName }));
    expect(policies.PolicyNames).toEqual(["BedrockKeyConsoleRestrictions"]);

    // The sandbox sees the test's requests from 127.0.0.1: outside 10.0.0.0/8.
    const office = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Office only", restrictions: { models: [], cidrs: ["10.0.0.0/8"], notAfter: null } }));
    expect((await env.converse(office.secret)).status).toBe(403);
  });

  it("a second submit of the same form creates nothing and says so", async () => {
    const admin = await env.actor(env.users.admin);
    const input = issueInput(env, { name: "Double submit" });
    const [a, b] = await Promise.allSettled([issueLongTermKey(env.deps, admin, input), issueLongTermKey(env.deps, admin, input)]);
    const ok = [a, b].filter((r) => r.status === "fulfilled");
    const refused = [a, b].filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0]!.reason as ActionError).code).toMatch(/^keys\.(issueInProgress|alreadyIssued)$/);
    const again = await issueLongTermKey(env.deps, admin, input).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: "keys.alreadyIssued", params: { name: "Double submit" } });
    expect(await env.db.apiKey.count({ where: { name: "Double submit" } })).toBe(1);
  });

  it.each([
    ["CreateUser", "CreateUser"],
    ["AttachUserPolicy", "AttachUserPolicy AmazonBedrockLimitedAccess"],
    ["PutUserPolicy", "PutUserPolicy"],
    ["CreateServiceSpecificCredential", "CreateServiceSpecificCredential"],
  ])("a failure at %s undoes every earlier step and names the step", async (operation, step) => {
    const admin = await env.actor(env.users.admin);
    const before = await env.consoleUsers();
    await env.fault(operation, denied);
    const audit = recordingAudit();
    const input = issueInput(env, { name: `Fails at ${operation}`, restrictions: { models: [], cidrs: ["192.0.2.0/24"], notAfter: null } });
    const error = await issueLongTermKey(env.deps, admin, input, audit).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).code).toBe("keys.issueFailedDenied");
    expect((error as ActionError).params).toMatchObject({ step });
    expect(audit.details).toMatchObject({ failedStep: step, awsErrorKind: "AccessDenied" });
    // No orphan: the console's IAM users are exactly what they were, and no record remains.
    expect(await env.consoleUsers()).toEqual(before);
    expect(await env.db.apiKey.count({ where: { name: input.name } })).toBe(0);
    // The same form can be submitted again once the cause is fixed.
    const retry = await issueLongTermKey(env.deps, admin, input);
    expect(retry.secret).toMatch(/^ABSK/);
  });

  it("a failure attaching an extra policy detaches the first one before deleting the user", async () => {
    const admin = await env.actor(env.users.admin);
    const before = await env.consoleUsers();
    // A client that arms the sandbox fault just before the *extra* policy's attach, so the
    // first attach (AmazonBedrockLimitedAccess) succeeds and has to be undone.
    const { iam } = createAwsClients({ region: "us-east-1", endpoint: env.sandbox.url, maxAttempts: 1, credentials: ADMIN_CREDENTIALS });
    iam.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { PolicyArn?: string };
        if (context.commandName === "AttachUserPolicyCommand" && input.PolicyArn?.endsWith("/AmazonBedrockMarketplaceAccess")) {
          await env.fault("AttachUserPolicy", { code: "NoSuchEntity", status: 404, message: "Policy does not exist" });
        }
        return next(args);
      },
      { step: "initialize", name: "armFaultBeforeExtraPolicy" },
    );
    const audit = recordingAudit();
    const input = issueInput(env, { name: "Extra fails", extraPolicies: ["AmazonBedrockMarketplaceAccess"] });
    const error = await issueLongTermKey({ ...env.deps, iam }, admin, input, audit).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "keys.issueFailed", params: { step: "AttachUserPolicy AmazonBedrockMarketplaceAccess", reason: "NoSuchEntity" } });
    expect(audit.details.rolledBack).toEqual(["DetachUserPolicy AmazonBedrockLimitedAccess", "DeleteUser"]);
    expect(await env.consoleUsers()).toEqual(before);
  });

  it("an unexpected failure after the credential exists removes the credential too, and is passed on to be logged", async () => {
    const admin = await env.actor(env.users.admin);
    const before = await env.consoleUsers();
    const brokenDb = new Proxy(env.db, {
      get(target, prop, receiver) {
        if (prop !== "apiKey") return Reflect.get(target, prop, receiver);
        return new Proxy(target.apiKey, {
          get(model, p, r) {
            if (p === "updateMany") return async () => Promise.reject(new Error("database is locked"));
            return Reflect.get(model, p, r);
          },
        });
      },
    });
    const audit = recordingAudit();
    const error = await issueLongTermKey({ ...env.deps, db: brokenDb }, admin, issueInput(env, { name: "Save fails" }), audit).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ActionError);
    expect((error as Error).message).toBe("database is locked");
    expect(audit.details).toMatchObject({
      failedStep: "SaveRecord",
      rolledBack: ["DeleteServiceSpecificCredential", "DetachUserPolicy AmazonBedrockLimitedAccess", "DeleteUser"],
    });
    expect(await env.consoleUsers()).toEqual(before);
  });

  it("retries throttling with backoff instead of failing", async () => {
    const admin = await env.actor(env.users.admin);
    await env.fault("CreateUser", { code: "Throttling", status: 400, message: "Rate exceeded" }, 2);
    const reveal = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Throttled once" }));
    expect(reveal.secret).toMatch(/^ABSK/);
    // Both injected throttles were spent, so CreateUser was called three times: two refusals, then
    // the retry that made the user. (A fault left unspent would mean no retry happened.)
    const { faults } = (await env.sandboxState()) as { faults: { operation: string; remaining: number | null }[] };
    expect(faults.filter((f) => f.operation === "CreateUser" && f.remaining !== 0)).toEqual([]);
  });

  it("does not retry an IAM quota error (LimitExceeded is not throttling for IAM)", async () => {
    const admin = await env.actor(env.users.admin);
    await env.fault("CreateUser", { code: "LimitExceeded", status: 409, message: "Cannot exceed quota for UsersPerAccount: 5000" }, 1);
    const error = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Over quota" })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "keys.issueFailed", params: { step: "CreateUser", reason: "LimitExceeded" } });
  });

  it("refuses bad input with field errors and changes nothing", async () => {
    const admin = await env.actor(env.users.admin);
    const lead = await env.actor(env.users.leadA);
    const before = await env.consoleUsers();
    const wrongTeam = await issueLongTermKey(env.deps, admin, issueInput(env, { teamId: env.teams.B.id })).catch((e: unknown) => e);
    expect(wrongTeam).toMatchObject({ code: "invalidInput", fieldErrors: { teamId: { code: "field.ownerTeam" } } });
    const never = await issueLongTermKey(env.deps, lead, issueInput(env, { ageDays: null })).catch((e: unknown) => e);
    expect(never).toMatchObject({ fieldErrors: { expiry: { code: "field.neverAdminOnly" } } });
    const policy = await issueLongTermKey(env.deps, admin, issueInput(env, { extraPolicies: ["AdministratorAccess"] })).catch((e: unknown) => e);
    expect(policy).toMatchObject({ fieldErrors: { extraPolicies: { code: "field.choice" } } });
    const past = await issueLongTermKey(env.deps, admin, issueInput(env, { restrictions: { models: [], cidrs: [], notAfter: "2020-01-01" } })).catch((e: unknown) => e);
    expect(past).toMatchObject({ fieldErrors: { notAfter: { code: "field.dateInPast" } } });
    const ghost = await issueLongTermKey(env.deps, admin, issueInput(env, { ownerId: "nobody" })).catch((e: unknown) => e);
    expect(ghost).toMatchObject({ fieldErrors: { ownerId: { code: "field.unknownUser" } } });
    expect(await env.consoleUsers()).toEqual(before);
  });

  it("sets the configured permissions boundary on the users it creates", async () => {
    const admin = await env.actor(env.users.admin);
    const { iam } = createAwsClients({ region: "us-east-1", endpoint: env.sandbox.url, maxAttempts: 1, credentials: ADMIN_CREDENTIALS });
    const seen: unknown[] = [];
    iam.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "CreateUserCommand") seen.push((args.input as { PermissionsBoundary?: string }).PermissionsBoundary);
        return next(args);
      },
      { step: "initialize", name: "captureCreateUser" },
    );
    const boundary = "arn:aws:iam::123456789012:policy/BedrockKeyConsoleBoundary";
    await issueLongTermKey({ ...env.deps, iam, permissionsBoundaryArn: boundary }, admin, issueInput(env, { name: "Bounded" }));
    expect(seen).toEqual([boundary]);
  });

  it("issues keys that never expire (admins)", async () => {
    const admin = await env.actor(env.users.admin);
    const reveal = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Forever", ageDays: null }));
    expect(reveal.expiresAt).toBeNull();
  });

  it("refuses a name a current key already has, ignoring case, and frees it again on delete", async () => {
    const admin = await env.actor(env.users.admin);
    const first = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "nc-review-key" }));
    const before = await env.consoleUsers();
    for (const name of ["nc-review-key", "NC-Review-Key", "ｎｃ-review-key"]) {
      const again = await issueLongTermKey(env.deps, admin, issueInput(env, { name })).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(ActionError);
      expect(again).toMatchObject({ code: "keys.nameTaken", fieldErrors: { name: { code: "field.keyNameTaken" } } });
    }
    // Two submits with one name at the same moment: at most one key.
    const raced = await Promise.allSettled([
      issueLongTermKey(env.deps, admin, issueInput(env, { name: "Raced name" })),
      issueLongTermKey(env.deps, admin, issueInput(env, { name: "raced NAME" })),
    ]);
    expect(raced.filter((r) => r.status === "fulfilled").length).toBeLessThanOrEqual(1);
    for (const r of raced) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "keys.nameTaken" });
    const racedUsers = (await env.consoleUsers()).filter((u) => !before.includes(u));
    expect(racedUsers.length).toBe(raced.filter((r) => r.status === "fulfilled").length);
    expect(await env.db.apiKey.count({ where: { name: { in: ["nc-review-key", "NC-Review-Key", "ｎｃ-review-key"] } } })).toBe(1);

    // A deleted key's name can be used again.
    await env.db.apiKey.update({ where: { id: first.keyId }, data: { state: "deleted" } });
    const reused = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "NC-review-key" }));
    expect(reused.name).toBe("NC-review-key");
  });
});
