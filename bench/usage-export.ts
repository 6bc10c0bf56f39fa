/**
 * Benchmark: memory while exporting 1,000,000 calls as CSV through the streaming export.
 *
 *   npx tsx --conditions=react-server bench/usage-export.ts [--events 1000000] [--batch 1000]
 *
 * Builds a temp database with N stored calls (bench/usage-support.ts), then reads the export
 * stream (usageCsvExport, what GET /usage/export returns) to the end as an HTTP client would,
 * sampling the process's RSS every 20 ms. Prints RSS before, peak during and the rise, with
 * rows/s and bytes written. The export reads batch by batch (keyset), so the rise should stay
 * flat whatever N is; --events 100000 shows the same rise as 1,000,000.
 */
import { usageCsvExport } from "@/lib/usage/export";
import { eventWhere, resolveWhere } from "@/lib/usage/queries";
import { parseUsageFilters } from "@/lib/usage/filters";
import { arg, buildUsageDb, machine } from "./usage-support";

const events = arg("events", 1_000_000);
const batchSize = arg("batch", 1000);
const now = new Date();
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

console.log(`usage-export benchmark\n${machine()}\n`);
console.log(`building a database with ${events.toLocaleString("en-US")} calls over 90 days…`);
const fixture = await buildUsageDb(events, { days: 90, keys: 12, people: 4, now, log: console.log });

// Let the build's garbage go before the baseline, so the rise is the export's own.
(globalThis as { gc?: () => void }).gc?.();
await new Promise((r) => setTimeout(r, 1000));
const where = eventWhere(await resolveWhere(fixture.db, fixture.viewers.admin, parseUsageFilters({ range: "90" }).filters, now));
const before = process.memoryUsage().rss;
let peak = before;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);

const started = performance.now();
const reader = usageCsvExport(fixture.db, where, { batchSize }).getReader();
let bytes = 0;
let lines = 0;
for (;;) {
  const { done, value } = await reader.read();
  if (done) break;
  bytes += value.byteLength;
  for (const byte of value) if (byte === 10) lines++;
}
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);

console.log(`exported ${(lines - 1).toLocaleString("en-US")} rows (${mib(bytes)} of CSV) in ${seconds.toFixed(1)} s — ${Math.round((lines - 1) / seconds).toLocaleString("en-US")} rows/s, batches of ${batchSize}`);
console.log(`RSS before: ${mib(before)}, peak during export: ${mib(peak)}, rise: ${mib(peak - before)}`);
await fixture.cleanup();
