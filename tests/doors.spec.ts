/**
 * Every door a key opens (issue 19): a key the console issued, used only through the official
 * OpenAI SDK against bedrock-runtime's OpenAI-compatible routes, shows as used — on its page with
 * its API breakdown, and on /usage under the API filter.
 */
import OpenAI from "openai";
import { e2eEnv, expect, test } from "./support/fixtures";
import { syncNow } from "./support/usage-sync";
import { issueKey } from "./support/key-journeys";

const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
const stamp = Date.now().toString(36);

test("a key used only through the OpenAI SDK shows as used, with its API breakdown", async ({ asAdmin: admin }) => {
  const key = await issueKey(admin, { name: `OpenAI only ${stamp}`, owner: "Dana Developer (dev@demo.local)", team: "Payments" });
  await admin.goto(`/keys/${key.keyId}`);
  await expect(admin.getByRole("list", { name: "APIs (30 days)" })).toHaveCount(0);

  const client = new OpenAI({ apiKey: key.secret, baseURL: `${e2eEnv().sandboxUrl}/bedrock-runtime/us-east-1/openai/v1`, maxRetries: 0 });
  for (let i = 0; i < 2; i++) {
    const chat = await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Hello" }] });
    expect(chat.choices[0]?.message.content).toBeTruthy();
  }
  const response = await client.responses.create({ model: MODEL, input: "Hello" });
  expect(response.output_text).toBeTruthy();

  await syncNow(admin);
  await admin.goto(`/keys/${key.keyId}`);
  const apis = admin.getByRole("list", { name: "APIs (30 days)" });
  await expect(apis.getByRole("listitem").filter({ hasText: "Chat Completions" })).toContainText("2");
  await expect(apis.getByRole("listitem").filter({ hasText: "Responses" })).toContainText("1");
  await expect(apis).toContainText("bedrock-runtime");
  await expect(admin.getByText("Unused", { exact: true })).toHaveCount(0);

  // /usage: the API filter narrows to those calls; the breakdown names the door.
  await admin.goto(`/usage?who=${encodeURIComponent(`key:${key.iamUserName}`)}&api=chat_completions`);
  const byApi = admin.locator("section").filter({ has: admin.getByRole("heading", { name: "Calls by API" }) });
  await byApi.getByText("Show as a table").click();
  await expect(byApi.getByRole("table")).toContainText("Chat Completions");
  await expect(byApi.getByRole("table")).not.toContainText("Responses");
  const csv = await (await admin.request.get(`/usage/export?who=${encodeURIComponent(`key:${key.iamUserName}`)}`)).text();
  const rows = csv.replace(/^\uFEFF/, "").trim().split("\r\n").slice(1);
  expect(rows).toHaveLength(3);
  expect(rows.filter((r) => r.includes(",CreateChatCompletion,chat_completions,runtime,"))).toHaveLength(2);
  expect(csv).not.toContain(key.secret);
});
