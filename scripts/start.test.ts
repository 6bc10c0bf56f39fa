import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * `npm start`'s memory settings (docs/operations.md, "Memory"): the package.json script, run by
 * the shell as npm runs it, with `node server.mjs` replaced by a node that reports what it got.
 */
const root = path.resolve(import.meta.dirname, "..");
const script = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.start!;
const report = path.join(mkdtempSync(path.join(tmpdir(), "bkc-start-")), "report.mjs");
writeFileSync(report, `import { getHeapStatistics } from "node:v8";
console.log(JSON.stringify({ arena: process.env.MALLOC_ARENA_MAX ?? null, heapMb: getHeapStatistics().heap_size_limit / 1048576, args: process.argv.slice(2) }));
`);

function runStart(env: Record<string, string>, args = ""): { arena: string | null; heapMb: number; args: string[] } {
  expect(script).toMatch(/exec node server\.mjs$/);
  const command = `${script.replace(/node server\.mjs$/, `node ${report}`)} ${args}`;
  // Only PATH and HOME from this process: the script's defaults must not depend on the test's env.
  const out = execFileSync("sh", ["-c", command], { env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? "/tmp", NODE_ENV: "test", ...env }, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").at(-1)!) as { arena: string | null; heapMb: number; args: string[] };
}

describe("npm start", () => {
  it("starts the server with a 1 GB heap limit, 8 MB semi-spaces and two malloc arenas", () => {
    const got = runStart({});
    expect(got.arena).toBe("2");
    // heap_size_limit = the old generation's limit + the young generation's: three semi-spaces
    // (48 MB with Node 22's default of 16 MB each, more on Node 24).
    expect(got.heapMb).toBeGreaterThanOrEqual(1024);
    expect(got.heapMb).toBeLessThanOrEqual(1024 + 3 * 8);
  });

  it("lets the operator's NODE_OPTIONS and MALLOC_ARENA_MAX win", () => {
    const got = runStart({ NODE_OPTIONS: "--max-old-space-size=3000", MALLOC_ARENA_MAX: "8" });
    expect(got.arena).toBe("8");
    expect(got.heapMb).toBeGreaterThanOrEqual(3000);
    expect(got.heapMb).toBeLessThan(3300);
  });

  it("passes its arguments on to the server", () => {
    expect(runStart({}, "-p 3100 -H 127.0.0.1").args).toEqual(["-p", "3100", "-H", "127.0.0.1"]);
  });
});
