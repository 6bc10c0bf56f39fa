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
  let builder = new AxeBuilder({ page });
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();

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
