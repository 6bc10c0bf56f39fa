import type { createFormatter } from "use-intl/core";

/**
 * A budget amount as the console writes it, in the reader's language: dollars as currency
 * ("$8.20", "US$8.20"), tokens counted with the catalog's "budgets.tokens" ("6,000 tokens",
 * "6,000 トークン"). One rule for the budgets page, the bell, e-mails and the webhook's text;
 * `format` is next-intl's formatter (getFormatter, useFormatter or createFormatter).
 */
export function formatBudgetAmount(
  value: number,
  unit: string,
  format: Pick<ReturnType<typeof createFormatter>, "number">,
  tokens: (values: { count: number }) => string,
): string {
  return unit === "usd" ? format.number(value, { style: "currency", currency: "USD" }) : tokens({ count: Math.round(value) });
}
