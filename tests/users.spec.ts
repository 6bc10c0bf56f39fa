import { e2eEnv, expect, signIn, signInError, storageStatePath, test } from "./support/fixtures";
import { createUser } from "./support/users";

// Admin journeys on the Users & teams page, and the server-side refusals behind it.

test("an admin creates a user who can then sign in with the role given", async ({ asAdmin, browser, baseURL }) => {
  const email = `new.dev.${Date.now()}@example.test`;
  await createUser(asAdmin, { name: "Nova Newcomer", email, role: "developer", password: "a-strong-password-1", team: "Research" });

  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, email, "a-strong-password-1");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Nova Newcomer");
  await expect(page.getByText("Research")).toBeVisible();
  // a developer has no Users & teams section
  await expect(page.getByRole("link", { name: "Users & teams" })).toHaveCount(0);
  await context.close();
});

test("invalid user input gets field errors and creates nothing", async ({ asAdmin }) => {
  await asAdmin.goto("/users");
  await asAdmin.getByRole("button", { name: "Create user" }).first().click();
  const dialog = asAdmin.getByRole("dialog", { name: "Create user" });
  await dialog.getByLabel("Name", { exact: true }).fill("x".repeat(5));
  await dialog.getByLabel("Email", { exact: true }).fill("admin@demo.local");
  await dialog.getByLabel("Initial password", { exact: true }).fill("short");
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(dialog).toBeVisible();
  // The field error, not the hint ("At least 12 characters…"), which is always shown.
  await expect(dialog.getByText("Must be at least 12.")).toBeVisible();
});

test("a deactivated user is thrown out on their next request and cannot sign in again", async ({ asAdmin, browser, baseURL }) => {
  const email = `leaving.${Date.now()}@example.test`;
  await createUser(asAdmin, { name: "Lee Leaving", email, role: "developer", password: "a-strong-password-2" });

  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, email, "a-strong-password-2");

  await asAdmin.getByRole("button", { name: "Deactivate Lee Leaving" }).click();
  // Deactivation is the offboarding dialog now (issue 16); with nothing left behind it only deactivates.
  await asAdmin.getByRole("dialog", { name: "Deactivate Lee Leaving" }).getByRole("button", { name: "Deactivate", exact: true }).click();
  const done = asAdmin.getByRole("dialog", { name: "Lee Leaving deactivated" });
  await expect(done.getByRole("status")).toContainText("0 failed");
  await done.getByRole("button", { name: "Close", exact: true }).last().click();
  await expect(asAdmin.getByRole("row", { name: /Lee Leaving/ })).toContainText("Deactivated");

  await page.goto("/");
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill("a-strong-password-2");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(signInError(page)).toContainText("deactivated");
  await context.close();
});

test("a developer posting directly to an admin action is refused, changes nothing, and is audited", async ({ asAdmin, playwright, baseURL }) => {
  // Capture a real, valid create-user action request from the admin's browser, and stop it
  // before it reaches the server (nothing is created by the admin).
  const email = `intruder.${Date.now()}@example.test`;
  let captured: { actionId: string; contentType: string; body: Buffer } | undefined;
  await asAdmin.route("**/users", async (route) => {
    const request = route.request();
    const actionId = request.headers()["next-action"];
    if (request.method() === "POST" && actionId) {
      captured = { actionId, contentType: request.headers()["content-type"] ?? "", body: request.postDataBuffer() ?? Buffer.alloc(0) };
      await route.abort();
    } else {
      await route.continue();
    }
  });
  await asAdmin.goto("/users");
  await asAdmin.getByRole("button", { name: "Create user" }).first().click();
  const dialog = asAdmin.getByRole("dialog", { name: "Create user" });
  await dialog.getByLabel("Name", { exact: true }).fill("Intruder");
  await dialog.getByLabel("Email", { exact: true }).fill(email);
  await dialog.getByLabel("Role", { exact: true }).selectOption("admin");
  await dialog.getByLabel("Initial password", { exact: true }).fill("a-strong-password-3");
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect.poll(() => captured).toBeDefined();
  await asAdmin.unrouteAll({ behavior: "ignoreErrors" });

  // Replay the same request with the developer's session.
  const developer = await playwright.request.newContext({ baseURL, storageState: storageStatePath("developer") });
  const response = await developer.post("/users", {
    headers: { "next-action": captured!.actionId, "content-type": captured!.contentType, accept: "text/x-component" },
    data: captured!.body,
  });
  expect(response.status()).toBeLessThan(500);
  expect(await response.text()).toContain("You do not have permission to do that.");
  await developer.dispose();

  // Nothing was created, and the refusal is in the audit log.
  await asAdmin.goto("/users");
  await expect(asAdmin.getByRole("cell", { name: email })).toHaveCount(0);
  await asAdmin.goto("/audit?actor=dev%40demo.local&action=users.create&result=failure");
  await expect(asAdmin.getByRole("row").filter({ hasText: "users.create" }).first()).toContainText("forbidden");
});

test("the pages a role may not use answer not found, whatever the navigation shows", async ({ asDeveloper, asLead }) => {
  for (const path of ["/users", "/audit"]) {
    const response = await asDeveloper.goto(path);
    expect(response?.status(), path).toBe(404);
  }
  expect((await asLead.goto("/users"))?.status()).toBe(404);
  expect((await asLead.goto("/audit"))?.status()).toBe(200);
  const exportResponse = await asDeveloper.request.get("/audit/export");
  expect(exportResponse.status()).toBe(403);
  expect(e2eEnv().appUrl).toContain("localhost");
});
