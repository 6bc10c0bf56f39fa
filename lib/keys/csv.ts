/**
 * One CSV cell. A leading = + - @ (or tab/CR) would make a spreadsheet evaluate the cell as a
 * formula (CSV injection); a quote prefix keeps it text. Quotes, commas and newlines are quoted.
 */
export function csvCell(value: string | null | undefined): string {
  const v = value ?? "";
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
