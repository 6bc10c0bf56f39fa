import { expect, expectNoSeriousA11yViolations, test } from "./support/fixtures";
import { expectKeyRejected, expectKeyWorks, finishReveal, generateShortTerm, readRevealedSecret } from "./support/key-journeys";

// Short-term keys: a person generates one for themself; it works against the Bedrock runtime; an
// admin revokes that person's keys: their old keys fail, everyone else's keep working, and their
// new keys work again.

test("short-term keys are generated per person and revoked per person", async ({ asDeveloper: dev, asLead: lead, asAdmin: admin, request }) => {
  test.setTimeout(90_000);
  const devToken = await generateShortTerm(dev);
  await expectKeyWorks(request, devToken);
  const leadToken = await generateShortTerm(lead, { duration: "15 min" });
  await expectKeyWorks(request, leadToken);

  // The developer sees their own issuance (never the token), the admin sees everyone's.
  await expect(dev.getByRole("heading", { name: "Your issuances" })).toBeVisible();
  await expect(dev.getByRole("row").nth(1)).toContainText("Active");
  await expect(dev.getByRole("button", { name: /Revoke/ })).toHaveCount(0);

  await admin.goto("/short-term-keys");
  await expect(admin.getByRole("heading", { name: "All issuances" })).toBeVisible();
  await admin.getByRole("link", { name: "Show only Dana Developer's keys" }).first().click();
  await expect(admin.getByRole("heading", { name: "Issuances of Dana Developer" })).toBeVisible();
  await admin.getByRole("button", { name: "Revoke Dana Developer's short-term keys" }).first().click();
  const confirm = admin.getByRole("alertdialog", { name: "Revoke Dana Developer's short-term keys?" });
  await expect(confirm).toContainText("Everyone else's short-term keys keep working.");
  await expectNoSeriousA11yViolations(admin);
  await confirm.getByRole("button", { name: "Revoke keys" }).click();
  await expect(admin.getByText(/Dana Developer's short-term keys are revoked/)).toBeVisible({ timeout: 20_000 });

  // The old token fails; another person's still works; a new token of the same person works.
  await expectKeyRejected(request, devToken, /not authorized|explicit deny/);
  await expectKeyWorks(request, leadToken);
  const newDevToken = await generateShortTerm(dev);
  await expectKeyWorks(request, newDevToken);
  await dev.reload();
  await expect(dev.getByRole("cell", { name: "Revoked" }).first()).toBeVisible();
});

test("the short-term reveal is accessible and guarded until the key is stored", async ({ asLead: page }) => {
  await page.goto("/short-term-keys");
  await page.getByLabel("Region").selectOption("us-west-2");
  await page.getByText("Custom", { exact: true }).click();
  await page.getByRole("spinbutton", { name: "Minutes" }).fill("30");
  await page.getByRole("button", { name: "Generate key" }).click();
  await expect(page.getByRole("heading", { name: "Your short-term key" })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText("us-west-2", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Done" })).toBeDisabled();
  await expectNoSeriousA11yViolations(page);
  await readRevealedSecret(page);
  await finishReveal(page);
  await expect(page.getByRole("row", { name: /us-west-2/ }).first()).toContainText("Active");
});
