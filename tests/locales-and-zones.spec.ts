import type { Browser } from "@playwright/test";
import Database from "better-sqlite3";
import { e2eEnv, expect, storageStatePath, test } from "./support/fixtures";
import { issueKey } from "./support/key-journeys";

// Dates are formatted in one place (lib/time, date-fns) so the server and the browser print the
// same text in every language (Korean /settings used to throw React error #418), in the viewer's
// own time zone, named, with UTC on hover.

const LOCALES = ["en", "ja", "ko", "zh-CN"] as const;
// Every section with a layout of its own (each gives its client components only the messages
// they use, lib/i18n/client-messages.ts): a message missing there is a console error here.
const PAGES = ["/", "/keys", "/keys/new", "/requests", "/requests/new", "/usage", "/audit", "/users", "/settings", "/short-term-keys", "/inspect", "/posture", "/accounts", "/budgets", "/account"];

async function openAs(browser: Browser, baseURL: string | undefined, locale: string, timezoneId: string) {
  const context = await browser.newContext({ baseURL, storageState: storageStatePath("admin"), timezoneId });
  const url = new URL(baseURL ?? "http://127.0.0.1");
  await context.addCookies([{ name: "NEXT_LOCALE", value: locale, domain: url.hostname, path: "/" }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
  return { context, page, errors };
}

let keyPath = "";

// Dates rendered by client components: a key page with history (issued through the form, in
// English) and the settings page's "saved … on <date>" (the policy saved once, unchanged).
test.beforeAll(async ({ browser, baseURL }) => {
  const { context, page } = await openAs(browser, baseURL, "en", "UTC");
  await page.goto("/settings");
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByText("Policy saved.")).toBeVisible();
  const key = await issueKey(page, { name: `Zones ${Date.now()}`, owner: "Dana Developer (dev@demo.local)" });
  keyPath = `/keys/${key.keyId}`;
  await context.close();
});

for (const locale of LOCALES) {
  test(`no console error on the main pages in ${locale}, in Seoul time`, async ({ browser, baseURL }) => {
    test.setTimeout(120_000);
    const { context, page, errors } = await openAs(browser, baseURL, locale, "Asia/Seoul");
    for (const path of [...PAGES, keyPath]) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
}

test("the same date text comes from the server and the browser: one library's, not the runtime's ICU", async ({ browser, baseURL }) => {
  // Intl formats this date differently in Node and in browsers (ko: "2026. 12. 3. PM 9:14" vs
  // "오후 9:13"); date-fns's Korean locale data is the same bytes on both sides.
  const { context, page, errors } = await openAs(browser, baseURL, "ko", "Asia/Seoul");
  await page.goto("/settings");
  await expect(page.getByText(/님이 \d{4}\.\d{2}\.\d{2} \d{2}:\d{2} UTC\+9에 저장/)).toBeVisible();
  const served = await (await page.request.get("/settings")).text();
  expect(served).toMatch(/님이 \d{4}\.\d{2}\.\d{2} \d{2}:\d{2} UTC\+9에 저장/);
  expect(errors).toEqual([]);
  await context.close();
});

test("every time names its zone: the browser's, remembered for the user, with UTC on hover", async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const { context, page, errors } = await openAs(browser, baseURL, "en", "Asia/Tokyo");
  // Pages with absolute times (the audit log, the key page) and with "… ago" ones.
  const pages = [["/audit", true], [keyPath, true], ["/users", false], ["/", false]] as const;
  for (const [path, absolute] of pages) {
    await page.goto(path);
    const times = page.locator("time");
    // The first visit in a new zone re-renders once the browser has reported it.
    await expect(times.first()).toBeVisible();
    if (absolute) await expect(page.locator("time:not([data-relative])").first()).toContainText("UTC+9");
    else await expect(times.first()).toHaveAttribute("title", /Asia\/Tokyo/);
    for (const time of await times.all()) {
      const relative = (await time.getAttribute("data-relative")) !== null;
      if (!relative) await expect(time, `${path}: ${await time.innerText()}`).toHaveText(/ UTC\+9$/);
      expect(await time.getAttribute("title"), `${path}: title of ${await time.innerText()}`).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
      expect(await time.getAttribute("title")).toContain("Asia/Tokyo");
    }
  }
  expect(errors).toEqual([]);
  await context.close();

  // Remembered on the user, like the language (sign-in puts it in the new browser's cookie).
  const db = new Database(e2eEnv().dbFile, { readonly: true, timeout: 5_000 });
  try {
    expect(db.prepare("SELECT timeZone FROM User WHERE email = ?").get("admin@demo.local")).toEqual({ timeZone: "Asia/Tokyo" });
  } finally {
    db.close();
  }

  // Another zone, another browser: the times follow it.
  const { context: other, page: again } = await openAs(browser, baseURL, "en", "America/New_York");
  await again.goto("/audit");
  await expect(again.locator("time:not([data-relative])").first()).toHaveText(/ UTC−[45]$/);
  await other.close();
});
