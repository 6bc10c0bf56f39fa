/**
 * Usage from the organisation trail (issue 19): an admin points the console at the trail's bucket
 * on /settings (bad input refused, nothing saved), a key used only through bedrock-mantle's
 * OpenAI-compatible API — data events, which LookupEvents never returns — then shows as used after
 * "Sync now", and the sync panel offers a backfill. The console's own account goes back to
 * LookupEvents only at the end, so other journeys see the usage sync as before.
 */
import OpenAI from "openai";
import type { Page } from "@playwright/test";
import { e2eEnv, expect, test } from "./support/fixtures";
import { syncNow } from "./support/usage-sync";
import { issueKey } from "./support/key-journeys";

const stamp = Date.now().toString(36);
const BUCKET = `e2e-trail-${stamp}`;
const ORG = "o-e2etrail0001";

async function sandbox(path: string, body: unknown) {
  const res = await fetch(`${e2eEnv().sandboxUrl}/_sandbox/${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  expect(res.ok, `${path}: ${res.status}`).toBe(true);
}

async function setSource(page: Page, source: "Trail files in S3" | "Both" | "LookupEvents", bucket: string) {
  await page.goto("/settings");
  const form = page.locator("section", { has: page.getByRole("heading", { name: "Usage from an organisation trail" }) });
  await form.getByLabel("S3 bucket").fill(bucket);
  await form.getByLabel("Bucket region").fill(bucket ? "us-east-1" : "");
  await form.getByLabel("Organisation id").fill(bucket ? ORG : "");
  await form.getByLabel(/the console's own$/).selectOption({ label: source });
  await form.getByRole("button", { name: "Save" }).click();
  return form;
}

test("an admin reads usage from the organisation trail: mantle calls LookupEvents never shows arrive through S3", async ({ asAdmin: admin }) => {
  // Issues a key, calls through it, saves a source and syncs: 14 s on an idle 2-core machine.
  test.setTimeout(90_000);
  await sandbox("trails", { name: `e2e-${stamp}`, bucket: BUCKET, orgId: ORG });
  const key = await issueKey(admin, { name: `Trail only ${stamp}`, owner: "Dana Developer (dev@demo.local)", team: "Payments" });
  const client = new OpenAI({ apiKey: key.secret, baseURL: `${e2eEnv().sandboxUrl}/bedrock-mantle/us-east-1/v1`, maxRetries: 0 });
  // A model mantle serves on its OpenAI route (its own listing; Anthropic models take /anthropic).
  const model = (await client.models.list()).data.find((m) => !m.id.includes("anthropic"))!.id;
  for (let i = 0; i < 3; i++) await client.chat.completions.create({ model, messages: [{ role: "user", content: "Hello" }] });

  try {
    // Bad input: a clear error on the field, nothing saved.
    await admin.goto("/settings");
    const form = admin.locator("section", { has: admin.getByRole("heading", { name: "Usage from an organisation trail" }) });
    await form.getByLabel("S3 bucket").fill("Not_A_Bucket");
    await form.getByLabel("Bucket region").fill("us-east-1");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByText("Enter an S3 bucket name")).toBeVisible();
    await admin.reload();
    await expect(form.getByLabel("S3 bucket")).toHaveValue("");

    await setSource(admin, "Both", BUCKET);
    await expect(admin.getByText("Usage sources saved")).toBeVisible();

    await sandbox("trails/flush", { all: true });
    const run = await syncNow(admin);
    const trail = run.regions.filter((r) => r.source === "s3" && r.scope !== "bucket");
    expect(trail.length).toBeGreaterThan(0);
    expect(trail.reduce((n, r) => n + r.inserted, 0)).toBeGreaterThanOrEqual(3);
    // Read on the trail reader's worker thread in the built app too (lib/usage/trail-reader.ts: an
    // eval'd worker, nothing for the bundler to place), normalize.ts included where Node strips
    // TypeScript types (the app server runs on this Node).
    const read = trail.filter((r) => (r.files ?? 0) > 0);
    expect(read.length).toBeGreaterThan(0);
    expect(read.map((r) => r.readOn)).toEqual(read.map(() => (process.features.typescript ? "worker" : "worker+main")));

    // The key shows as used, through mantle's Chat Completions (data events: only the trail has them).
    await admin.goto(`/keys/${key.keyId}`);
    const apis = admin.getByRole("list", { name: "APIs (30 days)" });
    await expect(apis.getByRole("listitem").filter({ hasText: "Chat Completions" })).toContainText("3");
    await expect(apis).toContainText("bedrock-mantle");
    await expect(admin.getByText("Unused", { exact: true })).toHaveCount(0);

    // The sync panel offers a backfill from the trail's bucket.
    await admin.goto("/usage");
    await expect(admin.getByText(`Read s3://${BUCKET} from`)).toBeVisible();
    await expect(admin.getByRole("button", { name: "Backfill" })).toBeDisabled();
  } finally {
    await setSource(admin, "LookupEvents", "");
    await expect(admin.getByText("Saved: no trail is read")).toBeVisible();
  }
});
