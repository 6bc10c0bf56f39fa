import type { Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, test } from "./support/fixtures";

// Phones: every console page at 390 px (an iPhone 12-15 in portrait). Nothing may push the page
// sideways, landmarks may not overlap, everything must be reachable through the menu button, and
// axe must find nothing serious. A lead approving a request from a phone is the journey that must hold.

const PHONE = { width: 390, height: 844 };

const ADMIN_PAGES = ["/", "/keys", "/keys/new", "/short-term-keys", "/inspect", "/usage", "/requests", "/requests/new", "/users", "/audit", "/settings"];
const LEAD_PAGES = ["/", "/keys", "/usage", "/requests"];
const DEVELOPER_PAGES = ["/", "/keys", "/short-term-keys", "/requests", "/requests/new"];

/** What overflows: the page's own width, and any landmark that sticks out of the viewport or overlaps another. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = window.innerWidth;
    const doc = document.documentElement;
    if (doc.scrollWidth > width) problems.push(`the page scrolls sideways: ${doc.scrollWidth}px wide in a ${width}px window`);
    const landmarks = [...document.querySelectorAll("header, main, nav, aside, footer")].filter((el) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && style.visibility !== "hidden" && style.display !== "none";
    });
    for (const el of landmarks) {
      const r = el.getBoundingClientRect();
      if (r.left < -1 || r.right > width + 1) problems.push(`<${el.tagName.toLowerCase()}> is outside the viewport (${Math.round(r.left)}..${Math.round(r.right)})`);
    }
    const top = landmarks.filter((el) => el.tagName === "HEADER" || el.tagName === "MAIN");
    for (let i = 0; i < top.length; i++) {
      for (let j = i + 1; j < top.length; j++) {
        const a = top[i]!.getBoundingClientRect();
        const b = top[j]!.getBoundingClientRect();
        const overlap = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (overlap > 1 && Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1) {
          problems.push(`<${top[i]!.tagName.toLowerCase()}> and <${top[j]!.tagName.toLowerCase()}> overlap by ${Math.round(overlap)}px`);
        }
      }
    }
    return problems;
  });
}

async function checkPages(page: Page, paths: string[]) {
  await page.setViewportSize(PHONE);
  for (const path of paths) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    expect(await layoutProblems(page), `${path} at 390 px`).toEqual([]);
    // The desktop sidebar is not shown; the menu button is.
    await expect(page.getByRole("button", { name: "Open the menu" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  }
}

test("every admin page fits a phone", async ({ asAdmin }) => {
  test.setTimeout(180_000);
  await checkPages(asAdmin, ADMIN_PAGES);
});

test("every lead and developer page fits a phone", async ({ asLead, asDeveloper }) => {
  test.setTimeout(120_000);
  await checkPages(asLead, LEAD_PAGES);
  await checkPages(asDeveloper, DEVELOPER_PAGES);
});

test("the menu button opens the navigation as a sheet, and following a link closes it", async ({ asLead }) => {
  await asLead.setViewportSize(PHONE);
  await asLead.goto("/");
  const nav = asLead.getByRole("dialog").getByRole("navigation", { name: "Main navigation" });
  await expect(nav).toHaveCount(0);
  await asLead.getByRole("button", { name: "Open the menu" }).click();
  await expect(nav).toBeVisible();
  await expectNoSeriousA11yViolations(asLead);
  // Every section is inside the viewport and can be reached.
  for (const name of ["Home", "API keys", "Usage", "Requests"]) {
    const link = nav.getByRole("link", { name, exact: true });
    await expect(link).toBeInViewport();
  }
  await nav.getByRole("link", { name: "Requests", exact: true }).click();
  await expect(asLead).toHaveURL(/\/requests$/);
  await expect(asLead.getByRole("dialog")).toHaveCount(0);
  await expect(asLead.getByRole("heading", { level: 1 })).toBeVisible();
  // Escape closes it too, and focus returns to the button.
  await asLead.getByRole("button", { name: "Open the menu" }).click();
  await expect(nav).toBeVisible();
  await asLead.keyboard.press("Escape");
  await expect(asLead.getByRole("dialog")).toHaveCount(0);
  await expect(asLead.getByRole("button", { name: "Open the menu" })).toBeFocused();
});
