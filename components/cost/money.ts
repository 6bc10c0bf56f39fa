import type { useFormatter } from "next-intl";

/**
 * Money and token figures for the cost views, in the reader's language. Amounts under a dollar
 * keep four decimals (a key's day of light use is cents or less, and $0.00 would read as free).
 */
type Formatter = Pick<ReturnType<typeof useFormatter>, "number">;

export function usd(format: Formatter, value: number): string {
  const small = value !== 0 && Math.abs(value) < 1;
  return format.number(value, { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: small ? 4 : 2 });
}

export function tokens(format: Formatter, value: number): string {
  return format.number(value, value >= 100_000 ? { notation: "compact", maximumFractionDigits: 1 } : {});
}
