import { e2eEnv, expect, expectNoSeriousA11yViolations, test } from "./support/fixtures";

// The harness itself: both servers are up, the sign-in page is usable, and the sessions
// saved by global setup are accepted. Feature journeys live in their own specs.

test("the sign-in page renders and passes the accessibility check", async ({ page }) => {
  await page.goto("/signin");
  await expect(page.getByLabel("Email", { exact: true })).toBeVisible();
  await expect(page.getByLabel("Password", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeEnabled();
  await expectNoSeriousA11yViolations(page);
});

test("the sandbox answers its health check", async ({ request }) => {
  const response = await request.get(`${e2eEnv().sandboxUrl}/_sandbox/health`);
  expect(response.ok()).toBe(true);
});

test("the saved session of each role is accepted", async ({ asAdmin, asLead, asDeveloper }) => {
  for (const page of [asAdmin, asLead, asDeveloper]) {
    await page.goto("/");
    // Signed out, the console sends people to /signin; signed in, they stay on /.
    await expect(page).toHaveURL((url) => url.pathname === "/");
  }
});
