import { test } from "./support/fixtures";
test("screens", async ({ asAdmin: admin, asLead: lead }) => {
  test.setTimeout(120_000);
  await admin.setViewportSize({ width: 1440, height: 1000 });
  await admin.goto("/usage");
  await admin.waitForTimeout(1500);
  for (let i = 0; i < 4; i++) {
    await admin.evaluate((y) => window.scrollTo(0, y), i * 950);
    await admin.waitForTimeout(300);
    await admin.screenshot({ path: `/tmp/usage-shots/admin-${i}.png` });
  }
  await admin.getByRole("link", { name: /^Details/ }).first().click();
  await admin.waitForTimeout(800);
  await admin.screenshot({ path: "/tmp/usage-shots/detail.png" });
  await admin.goto("/keys");
  await admin.screenshot({ path: "/tmp/usage-shots/keys.png" });
  await admin.getByRole("link", { name: /Checkout bot/ }).first().click();
  await admin.waitForTimeout(1500);
  await admin.getByRole("heading", { name: "Usage", exact: true }).scrollIntoViewIfNeeded();
  await admin.screenshot({ path: "/tmp/usage-shots/key.png" });
  await lead.setViewportSize({ width: 1280, height: 1000 });
  await lead.goto("/usage?range=7");
  await lead.waitForTimeout(1500);
  await lead.evaluate(() => window.scrollTo(0, 700));
  await lead.screenshot({ path: "/tmp/usage-shots/lead.png" });
});
