import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

type AxeResults = Awaited<ReturnType<AxeBuilder["analyze"]>>;
type Violation = AxeResults["violations"][number];

const BLOCKING = new Set(["serious", "critical"]);

function describe(violations: Violation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `      at ${n.target.join(" ")}\n         ${(n.failureSummary ?? "").replace(/\n/g, "\n         ")}`)
        .join("\n");
      const more = v.nodes.length > 5 ? `\n      … and ${v.nodes.length - 5} more` : "";
      return `  [${v.impact}] ${v.id}: ${v.help}\n      ${v.helpUrl}\n${nodes}${more}`;
    })
    .join("\n\n");
}

/**
 * Runs axe on the page as it is now and fails on serious or critical violations, listing each
 * with its selector and what to fix. Minor and moderate ones are reported in the attachment only.
 *
 * `exclude` takes CSS selectors for third-party regions the page cannot fix; say why at the call site.
 */
export async function expectNoSeriousA11yViolations(page: Page, options: { exclude?: string[] } = {}): Promise<void> {
  // Scanned as a reduced-motion user sees it: toasts and dialogs jump to their end state instead
  // of fading, so a toast that expires during the scan is never read half-transparent. What is
  // still moving (animations the page runs regardless) is waited for.
  await page.emulateMedia({ reducedMotion: "reduce" });
  let results: AxeResults;
  try {
    await settleAnimations(page);
    // Legacy mode runs axe.run() in the page itself. The default mode runs axe in each frame,
    // then opens a new blank page to combine the frames' results: the same results on these
    // pages (no frames of their own), but 2–2.5 s a scan instead of 0.8–1 s on 2 cores.
    let builder = new AxeBuilder({ page }).setLegacyMode(true);
    for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
    results = await builder.analyze();
  } finally {
    await page.emulateMedia({ reducedMotion: null });
  }

  await test.info().attach("axe-results.json", {
    body: JSON.stringify(results.violations, null, 2),
    contentType: "application/json",
  });
  const blocking = results.violations.filter((v) => v.impact && BLOCKING.has(v.impact));
  // Compare the short ids, not the violation objects: the message already lists the details,
  // and a diff of axe's full result objects buries them.
  expect(
    blocking.map((v) => `${v.impact}: ${v.id}`),
    `${blocking.length} serious/critical accessibility violation(s) on ${page.url()}:\n\n${describe(blocking)}\n`,
  ).toEqual([]);
}

/**
 * Waits (at most 3 s) for every animation and transition that has an end to end: a toast fading
 * in, a dialog opening. axe blends colours with opacity, so a toast scanned half-way through its
 * fade-in reads as grey on white (2:1) although it is 15:1 once shown. Endless ones (a spinner)
 * are not waited for.
 */
async function settleAnimations(page: Page): Promise<void> {
  await page.evaluate(async () => {
    // Two frames: a toast added by the last action marks itself mounted (and starts its
    // transition) on the next frame.
    for (let i = 0; i < 2; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
    const ending = document.getAnimations().filter((animation) => {
      const end = animation.effect?.getComputedTiming().endTime;
      return typeof end === "number" && Number.isFinite(end);
    });
    await Promise.race([
      Promise.all(ending.map((animation) => animation.finished.catch(() => undefined))),
      new Promise((resolve) => setTimeout(resolve, 3_000)),
    ]);
  });
}
