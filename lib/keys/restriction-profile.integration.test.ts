import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getKeyDetail } from "./detail";
import { issueLongTermKey } from "./issue";
import { createKeysTestEnv, issueInput, type KeysTestEnv } from "@/tests/support/keys-env";

let env: KeysTestEnv;
beforeAll(async () => {
  env = await createKeysTestEnv();
});
afterAll(async () => env?.close());

const PROFILE = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

describe("a key restricted to a cross-region inference profile", () => {
  it("calls the profile, is refused the foundation model directly, and its page says so", async () => {
    const admin = await env.actor(env.users.admin);
    const key = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Profile only", restrictions: { models: [PROFILE], cidrs: [], notAfter: null } }));
    expect((await env.converse(key.secret, PROFILE)).status).toBe(200);
    const direct = await env.converse(key.secret, MODEL);
    expect(direct.status).toBe(403);
    expect(direct.message).toMatch(/not authorized to perform: bedrock:InvokeModel on resource: .*foundation-model\/anthropic\.claude-3-5-haiku.* with an explicit deny/);

    const detail = await getKeyDetail(env.deps, admin, key.keyId);
    expect(detail.policies).toMatchObject({ ok: true, readable: { models: [{ id: PROFILE, label: "Claude 3.5 Haiku (US cross-region)" }] } });
  });

  it("listing the foundation model as well allows both", async () => {
    const admin = await env.actor(env.users.admin);
    const key = await issueLongTermKey(env.deps, admin, issueInput(env, { name: "Profile and model", restrictions: { models: [PROFILE, MODEL], cidrs: [], notAfter: null } }));
    expect((await env.converse(key.secret, PROFILE)).status).toBe(200);
    expect((await env.converse(key.secret, MODEL)).status).toBe(200);
  });
});
