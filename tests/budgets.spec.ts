import { readFileSync } from "node:fs";
import { withDb } from "./support/e2e-db";
import { expect, expectNoSeriousA11yViolations, test } from "./support/fixtures";
import { AUTH_FAILED, expectKeyRejected, expectKeyWorks, issueKey } from "./support/key-journeys";

// Budgets and e-mail (issue 15) as an admin lives them: point the console at an SMTP server (the
// real one tests/global-setup.ts started), set a budget on a team, let cost arrive (rows as the
// invocation-log ingest writes them), evaluate — and see the alert under the bell, the e-mail
// in the mailbox, the budget on the home page and the team's key disabled in AWS.

interface Mail {
  to: string[];
  from: string;
  subject: string;
  text: string;
}

function receivedMail(): Mail[] {
  const file = process.env.E2E_MAIL_FILE;
  if (!file) throw new Error("E2E_MAIL_FILE is not set: tests/global-setup.ts starts the SMTP server");
  try {
    return readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Mail);
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return [];
    throw error;
  }
}

test("an admin sets up e-mail, sets a team budget and watches it alert and disable the team's key", async ({ asAdmin: page, request }) => {
  test.setTimeout(150_000);

  // SMTP settings, and a test e-mail through them.
  await page.goto("/settings");
  const mail = page.getByRole("region", { name: "E-mail (SMTP)" });
  await mail.getByLabel("SMTP server").fill("127.0.0.1");
  await mail.getByLabel("Port").fill(process.env.E2E_SMTP_PORT ?? "");
  await mail.getByLabel("TLS").selectOption("none");
  await mail.getByLabel("From address").fill("bedrock-keys@demo.local");
  await mail.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("E-mail settings saved.")).toBeVisible();
  await mail.getByRole("button", { name: "Send a test e-mail to me" }).click();
  await expect(page.getByText("Test e-mail sent to admin@demo.local.")).toBeVisible();
  expect(receivedMail().find((m) => m.subject === "Bedrock Key Console: test e-mail")).toMatchObject({ to: ["admin@demo.local"], from: "bedrock-keys@demo.local" });

  // A key of the Research team.
  const key = await issueKey(page, { name: `Budget journey ${Date.now()}`, owner: "Riku Researcher (researcher@demo.local)", team: "Research" });
  await expectKeyWorks(request, key.secret);

  // Bad input is refused with a clear message and saves nothing.
  await page.goto("/budgets");
  await expect(page.getByText(/calendar month in UTC/)).toBeVisible();
  await expect(page.getByText(/arrive minutes after the calls/)).toBeVisible();
  const form = page.locator("form", { has: page.getByRole("button", { name: "Save budget" }) });
  await form.getByLabel("Budget for").selectOption({ label: "A team (its keys and its members' short-term keys)" });
  await form.getByLabel("Team", { exact: true }).selectOption({ label: "Research" });
  await form.getByLabel("Monthly limit").fill("-5");
  await form.getByRole("button", { name: "Save budget" }).click();
  await expect(form.getByText("Must be more than 0.")).toBeVisible();
  await expect(page.getByTestId("budget-row")).toHaveCount(0);

  // The team budget: $5 a month, default thresholds, act at 100 %.
  await form.getByLabel("Monthly limit").fill("5");
  await form.getByLabel("Disable the team's keys and revoke its members' short-term keys").check();
  await form.getByRole("button", { name: "Save budget" }).click();
  await expect(page.getByText("Budget saved.")).toBeVisible();
  const row = page.getByTestId("budget-row").filter({ hasText: "Research" });
  await expect(row).toContainText("$0.00 of $5.00 (0 %)");
  await expectNoSeriousA11yViolations(page);

  // $6 of cost for the key today (UTC), as the invocation-log ingest would roll it up.
  const day = new Date().toISOString().slice(0, 10);
  withDb((db) =>
    db
      .prepare(
        `INSERT INTO "CostDaily" (day, subject, identityType, accountId, modelId, region, calls, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, costUsd, unpricedCalls)
         VALUES (?, ?, 'long-term', '123456789012', 'anthropic.claude-3-5-haiku-20241022-v1:0', 'us-east-1', 40, 1200000, 300000, 0, 0, 6, 0)`,
      )
      .run(day, `key:${key.iamUserName}`),
  );

  // Evaluate now (the schedule would do it within minutes; it may even beat us to it).
  await page.getByRole("button", { name: "Evaluate now" }).click();
  await expect.poll(async () => {
    await page.reload();
    return (await row.innerText()).includes("Disabled");
  }, { timeout: 60_000 }).toBe(true);
  await expect(row).toContainText("$6.00 of $5.00 (120 %)");
  await expect(row).toContainText("100 % reached");
  await expect(row).toContainText(`Disabled ${key.name}.`);

  // The key is disabled in AWS: the next call fails with AWS's message.
  await expectKeyRejected(request, key.secret, AUTH_FAILED);
  await page.goto(`/keys/${key.keyId}`);
  await expect(page.getByText("Inactive").first()).toBeVisible();

  // The alert under the bell (the team has no lead: its admins hear), and on the home page.
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Budgets near or over their limit" })).toBeVisible();
  await page.getByRole("button", { name: /^Notifications, \d+ unread$/ }).click();
  const bell = page.getByRole("dialog", { name: "Notifications" });
  await expect(bell.getByText(/The budget of Research reached 100 %: \$6\.00 of \$5\.00/)).toBeVisible();
  await expect(bell.getByText(new RegExp(`The budget of Research is used up .*the console stopped ${key.name}`))).toBeVisible();

  // And by e-mail, through the real SMTP server.
  await expect.poll(() => receivedMail().filter((m) => m.subject === "Budget 100% reached: Research").length, { timeout: 30_000 }).toBe(1);
  const alert = receivedMail().find((m) => m.subject === "Budget 100% reached: Research")!;
  expect(alert.to).toEqual(["admin@demo.local"]);
  expect(alert.text).toContain("calendar month in UTC");

  // Remove the budget (so later journeys' Research keys are not acted on); the key stays disabled.
  await page.goto("/budgets");
  await page.getByRole("button", { name: "Remove the budget on Research" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Remove" }).click();
  await expect(page.getByText("Budget removed.")).toBeVisible();
  await expect(page.getByTestId("budget-row")).toHaveCount(0);
  await expectKeyRejected(request, key.secret, AUTH_FAILED);
});
