/**
 * The one CSV writer behind every export (audit log, key inventory, usage, the one-time key file).
 * RFC 4180 records plus the OWASP "CSV injection" defences, in one place so the exports cannot
 * drift apart again.
 */

export type CsvValue = string | number | boolean | Date | null | undefined;

// A cell a spreadsheet would evaluate: = + - @ start a formula; tab and CR do too in some
// programs (OWASP "CSV injection"). Cells hold user-chosen text (names, purposes, user agents),
// so an attacker could otherwise plant a formula that runs on the reader's machine.
const FORMULA_START = /^[=+\-@\t\r]/;

// Quote anything a reader might split on. Not only the comma: Excel in ja/de/fr locales (and
// LibreOffice's guess) splits on ";", and some importers on tab — `x;=cmd|' /C calc'!A0`
// unquoted becomes a second cell that starts with "=". A quoted cell is never split.
const NEEDS_QUOTES = /[",;\t\r\n]/;

/**
 * One cell. Text that would start a formula gets a leading single quote (OWASP's advice: the
 * spreadsheet then shows it as text), and is always quoted, as are cells holding a separator,
 * a quote or a line break (inner quotes doubled). Numbers, booleans and dates are ours, not
 * user text, and are written as they are (a negative number stays a number).
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  let quote = NEEDS_QUOTES.test(text);
  if (typeof value === "string" && FORMULA_START.test(text)) {
    text = `'${text}`;
    quote = true;
  }
  return quote ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/**
 * A CSV download as a pull-based stream: a UTF-8 BOM (for spreadsheets) and the header, then
 * whatever `next` returns, one chunk per pull, until it returns null. An empty chunk is skipped
 * within the same pull (a pull that enqueues nothing is never pulled again).
 */
export function csvChunks(header: readonly CsvValue[], next: () => Promise<string | null>, onError?: (error: unknown) => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!started) {
            started = true;
            controller.enqueue(encoder.encode(`\uFEFF${csvRow(header)}`));
            return;
          }
          for (;;) {
            const chunk = await next();
            if (chunk === null) return controller.close();
            if (chunk) return controller.enqueue(encoder.encode(chunk));
          }
        } catch (error) {
          onError?.(error);
          controller.error(error);
        }
      },
    },
    { highWaterMark: 1 },
  );
}
