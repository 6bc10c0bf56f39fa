import { appendFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { e2eEnv } from "./e2e-env";

// Helpers for the key journeys (keys, short-term keys, inspector, leak test): issuing through the
// real form, reading the one-time reveal, calling the sandbox's Bedrock runtime with a key, and
// remembering every revealed secret so tests/zz-leak.spec.ts can look for it everywhere.

export const MODEL_ID = "anthropic.claude-3-5-haiku-20241022-v1:0";
export const AUTH_FAILED = "Authentication failed: Please make sure your API Key is valid.";

const secretsFile = () => path.join(e2eEnv().tmpDir, "revealed-secrets.txt");

/** Remember a secret the browser was shown (one per line), for the leak test. */
export function recordSecret(secret: string): void {
  appendFileSync(secretsFile(), `${secret}\n`);
}

export function recordedSecrets(): string[] {
  if (!existsSync(secretsFile())) return [];
  return [...new Set(readFileSync(secretsFile(), "utf8").split("\n").filter(Boolean))];
}

/** POST …/converse on the sandbox's Bedrock runtime with the key as a Bearer token (us-east-1). */
export async function converse(request: APIRequestContext, token: string): Promise<{ status: number; message: string }> {
  const response = await request.post(`${e2eEnv().sandboxUrl}/model/${encodeURIComponent(MODEL_ID)}/converse`, {
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    data: { messages: [{ role: "user", content: [{ text: "Hello" }] }] },
  });
  const body = (await response.json().catch(() => ({}))) as { message?: string };
  return { status: response.status(), message: body.message ?? "" };
}

export async function expectKeyWorks(request: APIRequestContext, token: string) {
  const result = await converse(request, token);
  expect(result, "converse with the key should succeed").toEqual({ status: 200, message: "" });
}

export async function expectKeyRejected(request: APIRequestContext, token: string, message: string | RegExp = AUTH_FAILED) {
  const result = await converse(request, token);
  expect(result.status, `converse should be refused, got ${JSON.stringify(result)}`).toBe(403);
  if (typeof message === "string") expect(result.message).toBe(message);
  else expect(result.message).toMatch(message);
}

/** The sandbox's IAM users (control API; no secrets). */
export async function sandboxUserNames(request: APIRequestContext): Promise<string[]> {
  const response = await request.get(`${e2eEnv().sandboxUrl}/_sandbox/state`);
  expect(response.ok()).toBe(true);
  const state = (await response.json()) as { users: { userName: string }[] };
  return state.users.map((u) => u.userName);
}

/** Reads the secret shown by the reveal on the page (clicking "Show key" if it is masked). */
export async function readRevealedSecret(page: Page): Promise<string> {
  const show = page.getByRole("button", { name: "Show key" });
  if (await show.isVisible()) await show.click();
  const secret = (await page.getByTestId("revealed-secret").innerText()).trim();
  expect(secret).toMatch(/^(ABSK|bedrock-api-key-)[A-Za-z0-9+/=]+$/);
  recordSecret(secret);
  return secret;
}

/** Confirms "I have stored the key" and closes the reveal (the secret is dropped). */
export async function finishReveal(page: Page) {
  await page.getByRole("checkbox", { name: "I have stored the key somewhere safe" }).check();
  await page.getByRole("button", { name: "Done" }).click();
}

export interface IssuedKey {
  keyId: string;
  name: string;
  iamUserName: string;
  secret: string;
}

/**
 * Issues a key through /keys/new as the signed-in admin and returns it. `stay` leaves the reveal
 * open (for tests that look at it); otherwise the reveal is finished and the key page's id read.
 */
export async function issueKey(
  page: Page,
  opts: { name: string; owner: string; team?: string; expiry?: string; purpose?: string; stay?: boolean; account?: string },
): Promise<IssuedKey> {
  await page.goto("/keys/new");
  if (opts.account) await page.getByLabel("AWS account", { exact: true }).selectOption({ label: opts.account });
  await page.getByLabel("Name", { exact: true }).fill(opts.name);
  await page.getByLabel("Purpose", { exact: true }).fill(opts.purpose ?? "browser journey");
  await page.getByLabel("Owner", { exact: true }).selectOption({ label: opts.owner });
  if (opts.team) await page.getByLabel("Team", { exact: true }).selectOption({ label: opts.team });
  await page.getByText(opts.expiry ?? "7 days", { exact: true }).click();
  await page.getByRole("button", { name: "Issue key" }).click();
  await expect(page.getByRole("heading", { name: `Key “${opts.name}” issued` })).toBeVisible({ timeout: 20_000 });
  const secret = await readRevealedSecret(page);
  const iamUserName = (await page.getByText(/^BedrockAPIKey-/).first().innerText()).trim();
  if (opts.stay) return { keyId: "", name: opts.name, iamUserName, secret };
  await finishReveal(page);
  const href = await page.getByRole("link", { name: "Open the key's page" }).getAttribute("href");
  const keyId = href?.split("/").pop() ?? "";
  expect(keyId).not.toBe("");
  return { keyId, name: opts.name, iamUserName, secret };
}

/** Opens the inventory row menu of a key (searching for it first) and picks an item. */
export async function rowAction(page: Page, name: string, item: string) {
  await page.goto(`/keys?q=${encodeURIComponent(name)}`);
  await page.getByRole("button", { name: `Actions for ${name}` }).click();
  await page.getByRole("menuitem", { name: item }).click();
}

/** Generates a short-term key on /short-term-keys as the signed-in person and returns the token. */
export async function generateShortTerm(page: Page, opts: { duration?: string } = {}): Promise<string> {
  await page.goto("/short-term-keys");
  await page.getByText(opts.duration ?? "1 hour", { exact: true }).click();
  await page.getByRole("button", { name: "Generate key" }).click();
  await expect(page.getByRole("heading", { name: "Your short-term key" })).toBeVisible({ timeout: 20_000 });
  // AWS offers no CSV for short-term keys, and neither does the console.
  await expect(page.getByRole("button", { name: "Download CSV" })).toHaveCount(0);
  const token = await readRevealedSecret(page);
  expect(token).toMatch(/^bedrock-api-key-/);
  await finishReveal(page);
  await expect(page.getByText("Key stored.", { exact: false })).toBeVisible();
  return token;
}
