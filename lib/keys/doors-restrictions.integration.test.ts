/**
 * Issue 19 part 3: restrictions hold at every door a Bedrock API key opens. Keys are issued by the
 * console's own services against the sandbox, then used through bedrock-runtime's Converse, its
 * OpenAI-compatible Chat Completions and Responses, and bedrock-mantle's Chat Completions,
 * Responses and Anthropic Messages — with the official `openai` and `@anthropic-ai/sdk` clients,
 * pointed at the base URLs the reveal's snippets name (the sandbox's endpoint in place of AWS's).
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActionError } from "@/lib/actions/errors";
import { ensureShortTermRole } from "@/lib/shortterm/bootstrap";
import { generateShortTermKey, revokeShortTermKeys, type ShortTermDeps } from "@/lib/shortterm/service";
import { getKeyDetail } from "./detail";
import { issueLongTermKey } from "./issue";
import { setKeyStatus } from "./lifecycle";
import { mantleAnthropicBaseUrl, mantleOpenAiBaseUrl, runtimeOpenAiBaseUrl } from "./reveal";
import { createKeysTestEnv, issueInput, type KeysTestEnv } from "@/tests/support/keys-env";

let env: KeysTestEnv;
beforeAll(async () => {
  env = await createKeysTestEnv();
});
afterAll(async () => env?.close());

const REGION = "us-east-1";
const NOVA = "amazon.nova-micro-v1:0";
const LLAMA = "meta.llama3-1-8b-instruct-v1:0";
const US_HAIKU = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
const HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0";
const SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0";

type Headers_ = Record<string, string>;
const runtimeOpenAi = (key: string, headers: Headers_ = {}) =>
  new OpenAI({ apiKey: key, baseURL: runtimeOpenAiBaseUrl(REGION, `${env.sandbox.url}/bedrock-runtime/${REGION}`), maxRetries: 0, defaultHeaders: headers });
const mantleOpenAi = (key: string, headers: Headers_ = {}) =>
  new OpenAI({ apiKey: key, baseURL: mantleOpenAiBaseUrl(REGION, `${env.sandbox.url}/bedrock-mantle/${REGION}`), maxRetries: 0, defaultHeaders: headers });
const mantleAnthropic = (key: string, headers: Headers_ = {}) =>
  new Anthropic({ apiKey: key, baseURL: mantleAnthropicBaseUrl(REGION, `${env.sandbox.url}/bedrock-mantle/${REGION}`), maxRetries: 0, defaultHeaders: headers });

/** One call through each SDK door; resolves to the reply text. */
const DOORS = {
  "runtime chat.completions": async (key: string, model: string, headers?: Headers_) =>
    (await runtimeOpenAi(key, headers).chat.completions.create({ model, messages: [{ role: "user", content: "Hello" }] })).choices[0]!.message.content,
  "runtime responses": async (key: string, model: string, headers?: Headers_) => (await runtimeOpenAi(key, headers).responses.create({ model, input: "Hello" })).output_text,
  "mantle chat.completions": async (key: string, model: string, headers?: Headers_) =>
    (await mantleOpenAi(key, headers).chat.completions.create({ model, messages: [{ role: "user", content: "Hello" }] })).choices[0]!.message.content,
  "mantle responses": async (key: string, model: string, headers?: Headers_) => (await mantleOpenAi(key, headers).responses.create({ model, input: "Hello" })).output_text,
  "mantle messages": async (key: string, model: string, headers?: Headers_) => {
    const out = await mantleAnthropic(key, headers).messages.create({ model, max_tokens: 256, messages: [{ role: "user", content: "Hello" }] });
    const block = out.content[0]!;
    return block.type === "text" ? block.text : "";
  },
} as const;
type Door = keyof typeof DOORS;
const DOOR_NAMES = Object.keys(DOORS) as Door[];
const OPENAI_DOORS = DOOR_NAMES.filter((d) => d !== "mantle messages");

/**
 * The key below may call Nova Micro and Claude 3.5 Haiku through the US profile. Per door, a model
 * it may call (X) and one it may not (Y). mantle serves Claude only through the Anthropic
 * Messages API and names models by their in-Region id, so there X is Haiku itself.
 */
const ALLOWED: Record<Door, string> = {
  "runtime chat.completions": NOVA,
  "runtime responses": US_HAIKU,
  "mantle chat.completions": NOVA,
  "mantle responses": NOVA,
  "mantle messages": HAIKU,
};
const REFUSED: Record<Door, string> = {
  "runtime chat.completions": LLAMA,
  "runtime responses": LLAMA,
  "mantle chat.completions": LLAMA,
  "mantle responses": LLAMA,
  "mantle messages": SONNET,
};

async function failure(p: Promise<unknown>): Promise<Error & { status?: number }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { status?: number };
  }
  throw new Error("expected the call to fail");
}

/** The SDK's access-denied error: the status, class and AWS's message for an explicit deny. */
function expectDenied(door: Door, e: Error & { status?: number }, action: RegExp) {
  expect(e.status, `${door}: ${e.message}`).toBe(403);
  expect(e).toBeInstanceOf(door === "mantle messages" ? Anthropic.PermissionDeniedError : OpenAI.PermissionDeniedError);
  expect(e.message).toMatch(action);
  expect(e.message).toMatch(/with an explicit deny in an identity-based policy/);
}

describe("a key restricted to models is refused any other model at every door", () => {
  let restricted: string;
  let open: string;
  beforeAll(async () => {
    const admin = await env.actor(env.users.admin);
    restricted = (await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Two models", restrictions: { models: [NOVA, US_HAIKU], cidrs: [], notAfter: null } }))).secret;
    open = (await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Any model" }))).secret;
  });

  it("runtime Converse (as before): X works, Y is refused", async () => {
    expect((await env.converse(restricted, NOVA)).status).toBe(200);
    expect((await env.converse(restricted, US_HAIKU)).status).toBe(200);
    const denied = await env.converse(restricted, LLAMA);
    expect(denied.status).toBe(403);
    expect(denied.message).toMatch(/bedrock:InvokeModel on resource: .*foundation-model\/meta\.llama3-1-8b.* with an explicit deny/);
  });

  for (const door of DOOR_NAMES) {
    it(`${door}: the allowed model answers, another gets AWS's access denied (a key without restrictions may call it)`, async () => {
      expect(await DOORS[door](restricted, ALLOWED[door])).toBeTruthy();
      const e = await failure(DOORS[door](restricted, REFUSED[door]));
      expectDenied(door, e, door.startsWith("mantle") ? /not authorized to perform: bedrock-mantle:CreateInference on resource: arn:aws:bedrock-mantle:us-east-1:123456789012:project\/default/ : /not authorized to perform: bedrock:InvokeModel on resource: /);
      // The refusal is the restriction's doing: the same call with an unrestricted key answers.
      expect(await DOORS[door](open, REFUSED[door])).toBeTruthy();
    });
  }

  it("at mantle, a key allowed only a cross-region profile may call that profile's model (mantle has no profiles)", async () => {
    const admin = await env.actor(env.users.admin);
    const key = (await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Profile only at mantle", restrictions: { models: [US_HAIKU], cidrs: [], notAfter: null } }))).secret;
    expect(await DOORS["mantle messages"](key, HAIKU)).toBeTruthy();
    expectDenied("mantle messages", await failure(DOORS["mantle messages"](key, SONNET)), /bedrock-mantle:CreateInference/);
    // …while bedrock-runtime still refuses the foundation model called directly.
    expect((await env.converse(key, HAIKU)).status).toBe(403);
  });

  it("the key page reads both statements back: the same models at both endpoints, nothing unexplained", async () => {
    const admin = await env.actor(env.users.admin);
    const issued = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Read back", restrictions: { models: [NOVA, US_HAIKU], cidrs: [], notAfter: null } }));
    const detail = await getKeyDetail(env.deps, admin, issued.keyId);
    expect(detail.policies).toMatchObject({ ok: true, readable: { models: [{ id: US_HAIKU }, { id: NOVA }], mantleModels: [{ id: NOVA }, { id: HAIKU }], other: [] } });
  });

  it("restrictions too long for IAM's 2,048-character user budget are refused on the form, before anything exists in AWS", async () => {
    const admin = await env.actor(env.users.admin);
    const before = await env.consoleUsers();
    const ranges = Array.from({ length: 100 }, (_, i) => `2001:db8:${i.toString(16)}::/48`);
    const input = issueInput(env, { name: "Too many ranges", restrictions: { models: [], cidrs: ranges, notAfter: null } });
    const e = await issueLongTermKey(env.deps, admin, input).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ActionError);
    expect((e as ActionError).fieldErrors.cidrs).toEqual({ code: "field.restrictionsTooLarge", params: { limit: 2048 } });
    expect(await env.consoleUsers()).toEqual(before);
    expect(await env.db.apiKey.count({ where: { name: input.name } })).toBe(0);
  });

  it("listing models at mantle still works for a restricted key (the model deny names CreateInference only)", async () => {
    const models = await mantleOpenAi(restricted).models.list();
    expect(models.data.length).toBeGreaterThan(0);
  });
});

describe("a key restricted to a source range is refused from other addresses at mantle too", () => {
  it("inside the range every door answers; outside it each SDK door refuses", async () => {
    const admin = await env.actor(env.users.admin);
    const key = (await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Office network", restrictions: { models: [], cidrs: ["10.0.0.0/8"], notAfter: null } }))).secret;
    // The sandbox takes the caller's address from X-Forwarded-For (else the socket: 127.0.0.1).
    const office = { "x-forwarded-for": "10.20.30.40" };
    const elsewhere = { "x-forwarded-for": "198.51.100.7" };
    for (const door of DOOR_NAMES) {
      expect(await DOORS[door](key, ALLOWED[door], office), door).toBeTruthy();
      const e = await failure(DOORS[door](key, ALLOWED[door], elsewhere));
      // mantle refuses at its first check, bedrock-mantle:CallWithBearerToken; the runtime at its own.
      expectDenied(door, e, door.startsWith("mantle") ? /bedrock-mantle:CallWithBearerToken/ : /bedrock:CallWithBearerToken|bedrock:InvokeModel/);
    }
  });
});

describe("a revoked short-term key is refused at mantle", () => {
  it("works at every door before, is refused at each after; the person's new key works", async () => {
    const role = await ensureShortTermRole({ iam: env.aws.iam, sts: env.aws.sts });
    const deps: ShortTermDeps = { db: env.db, iam: env.aws.iam, sts: env.aws.sts, now: () => new Date(), roleArn: role.roleArn, maxHours: 12, regions: [REGION] };
    const admin = await env.actor(env.users.admin);
    const devA = await env.actor(env.users.devA);
    const before = await generateShortTermKey(deps, devA, { region: REGION, expiresInMinutes: 30 });
    for (const door of DOOR_NAMES) expect(await DOORS[door](before.token, ALLOWED[door]), door).toBeTruthy();

    await revokeShortTermKeys(deps, admin, devA.id);
    for (const door of DOOR_NAMES) {
      const e = await failure(DOORS[door](before.token, ALLOWED[door]));
      expectDenied(door, e, door.startsWith("mantle") ? /bedrock-mantle:CallWithBearerToken/ : /bedrock:CallWithBearerToken/);
    }
    const after = await generateShortTermKey(deps, devA, { region: REGION, expiresInMinutes: 30 });
    for (const door of OPENAI_DOORS) expect(await DOORS[door](after.token, ALLOWED[door]), door).toBeTruthy();
    expect(await DOORS["mantle messages"](after.token, HAIKU)).toBeTruthy();
  });
});

describe("the organisation's allowed models reach mantle through the keys it lets through", () => {
  it("a key issued under a policy allowing Nova only is refused other models at mantle; a key without a model restriction is not issued", async () => {
    await env.db.orgPolicy.create({
      data: { allowedModels: JSON.stringify([NOVA]), defaultExpiryDays: 30, longTermRequiresApproval: false, shortTermSelfService: true, shortTermMaxMinutes: 60, pickupWindowHours: 24 },
    });
    try {
      const admin = await env.actor(env.users.admin);
      const unrestricted = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Outside the policy" })).catch((e: unknown) => e);
      expect((unrestricted as ActionError).fieldErrors.models).toEqual({ code: "policy.modelsRequired" });
      const key = (await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Within the policy", restrictions: { models: [NOVA], cidrs: [], notAfter: null } }))).secret;
      expect(await DOORS["mantle responses"](key, NOVA)).toBeTruthy();
      expectDenied("mantle responses", await failure(DOORS["mantle responses"](key, LLAMA)), /bedrock-mantle:CreateInference/);
      expectDenied("mantle messages", await failure(DOORS["mantle messages"](key, HAIKU)), /bedrock-mantle:CreateInference/);
    } finally {
      await env.db.orgPolicy.deleteMany({});
    }
  });
});

describe("containing a long-term key closes every door", () => {
  it("disabled through the console, the key is refused at each SDK door with the API's authentication error; enabled again, it answers", async () => {
    const admin = await env.actor(env.users.admin);
    const issued = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Contained" }));
    await setKeyStatus(env.deps, admin, issued.keyId, "Inactive");
    for (const door of DOOR_NAMES) {
      const e = await failure(DOORS[door](issued.secret, ALLOWED[door]));
      // bedrock-runtime answers an invalid key with 403 (as for Converse); bedrock-mantle with 401.
      if (door.startsWith("mantle")) expect(e, door).toBeInstanceOf(door === "mantle messages" ? Anthropic.AuthenticationError : OpenAI.AuthenticationError);
      else expect(e, door).toBeInstanceOf(OpenAI.PermissionDeniedError);
    }
    await setKeyStatus(env.deps, admin, issued.keyId, "Active");
    for (const door of DOOR_NAMES) expect(await DOORS[door](issued.secret, ALLOWED[door]), door).toBeTruthy();
  });
});

describe("a key restricted before mantle was bound gets its restrictions written again (issue 19)", () => {
  it("an older key calls any model at mantle until an admin applies its restrictions at every door; then only its own, audited once", async () => {
    const admin = await env.actor(env.users.admin);
    const issued = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Older key", restrictions: { models: [NOVA], cidrs: [], notAfter: null } }));
    // As the console wrote it before issue 19: the runtime statements only.
    const { IAMClient, PutUserPolicyCommand } = await import("@aws-sdk/client-iam");
    const { buildRestrictionPolicy } = await import("./restriction-policy");
    const now = JSON.parse(buildRestrictionPolicy({ models: [NOVA], cidrs: [], notAfter: null })!) as { Statement: { Action: string | string[] }[] };
    const older = { ...now, Statement: now.Statement.filter((s) => ![s.Action].flat().some((a) => a.startsWith("bedrock-mantle:"))) };
    expect(older.Statement.length).toBeLessThan(now.Statement.length);
    const iam = new IAMClient({ endpoint: env.sandbox.url, region: REGION, credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" } });
    await iam.send(new PutUserPolicyCommand({ UserName: issued.iamUserName, PolicyName: "BedrockKeyConsoleRestrictions", PolicyDocument: JSON.stringify(older) }));
    expect(await DOORS["mantle chat.completions"](issued.secret, LLAMA)).toBeTruthy();

    const { reapplyRestrictions } = await import("./lifecycle");
    const details: Record<string, unknown> = {};
    const sink = { target: () => {}, detail: (d: Record<string, unknown>) => Object.assign(details, d) };
    expect(await reapplyRestrictions(env.deps, admin, issued.keyId, sink)).toEqual({ changed: true });
    expect(details).toEqual({ iamUserName: issued.iamUserName, credentialId: expect.any(String), mantleModels: { before: null, after: [NOVA] } });
    expectDenied("mantle chat.completions", await failure(DOORS["mantle chat.completions"](issued.secret, LLAMA)), /bedrock-mantle:CreateInference/);
    expect(await DOORS["mantle chat.completions"](issued.secret, NOVA)).toBeTruthy();
    // Again: nothing to change.
    expect(await reapplyRestrictions(env.deps, admin, issued.keyId)).toEqual({ changed: false });
    // A lead may not; a key without restrictions has nothing to apply.
    await expect(reapplyRestrictions(env.deps, await env.actor(env.users.leadA), issued.keyId)).rejects.toBeInstanceOf(ActionError);
    const plain = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "No restrictions" }));
    await expect(reapplyRestrictions(env.deps, admin, plain.keyId)).rejects.toMatchObject({ code: "keys.noRestrictions" });
  });
});
