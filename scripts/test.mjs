#!/usr/bin/env node
// `npm test`: every check the project has, in the order that fails cheapest first, each stage
// streaming its own output under a headline. Plain Node ESM so it runs before anything is
// generated or built. See docs/testing.md.
//
// The very last line is `N passed, N failed` (vitest + Playwright tests), which CI reads.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findChromium } from "../tests/support/browser.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const resultsDir = path.join(root, "test-results");
const VITEST_JSON = path.join(resultsDir, "vitest.json");
const VITEST_PG_JSON = path.join(resultsDir, "vitest-pg.json");
// Written by the json reporter in playwright.config.ts; keep the two paths in step.
const PLAYWRIGHT_JSON = path.join(resultsDir, "playwright.json");

/**
 * @typedef {{ passed: number, failed: number, skipped: number }} Counts
 * @typedef {{ id: string, title: string, command?: string[], env?: Record<string,string>,
 *   check?: () => { ok: boolean, message: string }, counts?: () => Counts | undefined,
 *   before?: () => void }} Stage
 */

/** @type {Stage[]} */
const STAGES = [
  {
    id: "browser",
    title: "Browser check",
    // First, so a machine without Chromium learns it in a second, not after a 2-minute build.
    check: () => {
      const found = findChromium();
      return found.ok
        ? { ok: true, message: `Chromium: ${found.path} (${found.source})` }
        : { ok: false, message: found.message };
    },
  },
  {
    id: "generate",
    title: "Prisma clients — npm run db:generate (SQLite + PostgreSQL)",
    command: [process.execPath, path.join(root, "scripts/db-generate.mjs")],
  },
  { id: "lint", title: "Lint — eslint .", command: [bin("eslint"), "."] },
  { id: "typecheck", title: "Typecheck — tsc --noEmit -p .", command: [bin("tsc"), "--noEmit", "-p", "."] },
  {
    id: "unit",
    title: "Unit + integration — vitest run",
    command: [
      bin("vitest"),
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${path.relative(root, VITEST_JSON)}`,
    ],
    before: () => rmSync(VITEST_JSON, { force: true }),
    counts: () => vitestCounts(VITEST_JSON),
  },
  {
    id: "unit-pg",
    title: "Integration on PostgreSQL — vitest run (TEST_DATABASE=postgresql)",
    // The tests that use a database again, on a throw-away PostgreSQL cluster that
    // tests/support/vitest-pg.ts starts and removes (needs `apt-get install -y postgresql`),
    // plus the *.pg.test.ts concurrency tests that only run there.
    command: [
      bin("vitest"),
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${path.relative(root, VITEST_PG_JSON)}`,
      ...databaseTestFiles(),
    ],
    env: { TEST_DATABASE: "postgresql" },
    before: () => rmSync(VITEST_PG_JSON, { force: true }),
    counts: () => vitestCounts(VITEST_PG_JSON),
  },
  {
    id: "build",
    title: "Build — next build",
    command: [bin("next"), "build"],
    env: { NEXT_TELEMETRY_DISABLED: "1" },
  },
  {
    id: "e2e",
    title: "Browser tests — playwright test",
    command: [bin("playwright"), "test"],
    env: { NEXT_TELEMETRY_DISABLED: "1" },
    before: () => rmSync(PLAYWRIGHT_JSON, { force: true }),
    counts: () => {
      const stats = readJson(PLAYWRIGHT_JSON)?.stats;
      if (!stats) return undefined;
      // retries are 0, so "flaky" cannot happen; counted as passed should that ever change.
      return {
        passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
        failed: stats.unexpected ?? 0,
        skipped: stats.skipped ?? 0,
      };
    },
  },
];
const STAGE_IDS = STAGES.map((s) => s.id);

/** @returns {Counts | undefined} */
function vitestCounts(file) {
  const report = readJson(file);
  if (!report) return undefined;
  return {
    passed: report.numPassedTests ?? 0,
    failed: report.numFailedTests ?? 0,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

/**
 * Test files that touch a database: they open one through lib/testing/test-db.ts (directly or
 * through a feature's test environment, tests/support/<feature>-env.ts), or are PostgreSQL-only (*.pg.test.ts). Found by content, so a
 * new integration test joins the PostgreSQL run without anyone listing it.
 */
function databaseTestFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === "generated" || entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.test\.tsx?$/.test(entry.name)) {
        const text = readFileSync(full, "utf8");
        if (/\.pg\.test\.tsx?$/.test(entry.name) || /createTestDb|\/tests\/support\/[a-z]+-env"/.test(text)) files.push(path.relative(root, full));
      }
    }
  };
  for (const dir of ["app", "components", "lib", "scripts", "prisma", "bench"]) {
    if (existsSync(path.join(root, dir))) walk(path.join(root, dir));
  }
  return files.sort();
}

const USAGE = `Usage: npm test [-- options]      (or: node scripts/test.mjs [options])

Stages, in order: ${STAGE_IDS.join(", ")}

Options:
  --only=a,b     run only these stages (e.g. --only=lint,typecheck). Selecting e2e also
                 runs the browser check first; e2e needs a build (include build, or build before).
  --skip=a,b     run every stage but these (e.g. --skip=build,e2e for a quick pre-commit run)
  --keep-going   run the remaining stages after a failure instead of stopping
  --list         print the stages and exit
  --help         this text`;

function parseArgs(argv) {
  const opts = { only: undefined, skip: new Set(), keepGoing: false };
  const stageList = (value, flag) => {
    const ids = value.split(",").map((s) => s.trim()).filter(Boolean);
    const unknown = ids.filter((id) => !STAGE_IDS.includes(id));
    if (unknown.length || ids.length === 0) {
      fail(`${flag}: unknown stage "${unknown.join(", ") || value}". Stages: ${STAGE_IDS.join(", ")}`);
    }
    return new Set(ids);
  };
  for (const arg of argv) {
    const [flag, value] = arg.split(/=(.*)/s, 2);
    if (flag === "--only" && value !== undefined) opts.only = stageList(value, "--only");
    else if (flag === "--skip" && value !== undefined) opts.skip = stageList(value, "--skip");
    else if (arg === "--keep-going") opts.keepGoing = true;
    else if (arg === "--list") {
      for (const s of STAGES) console.log(`${s.id.padEnd(10)} ${s.title}`);
      process.exit(0);
    } else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown option ${arg}\n\n${USAGE}`);
  }
  // The browser check guards the browser tests; never let e2e start without it.
  if (opts.only?.has("e2e")) opts.only.add("browser");
  return opts;
}

function fail(message) {
  console.error(`test.mjs: ${message}`);
  process.exit(2);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = (t) => paint("1", t);
const red = (t) => paint("31", t);
const green = (t) => paint("32", t);
const dim = (t) => paint("2", t);
const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;

let child = null;
let interrupted = false;
// Ctrl-C reaches the child through the shared process group; stay alive until it has shut
// down (Playwright stops its web servers then), and stop rather than start the next stage.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    interrupted = true;
    if (child && signal === "SIGTERM") child.kill("SIGTERM");
    if (!child) process.exit(130);
  });
}

function runCommand(stage) {
  const [file, ...args] = stage.command;
  if (!existsSync(file)) {
    return Promise.resolve({ code: 127, note: `${path.relative(root, file)} is missing — run npm ci` });
  }
  return new Promise((resolve) => {
    child = spawn(file, args, {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, ...stage.env },
    });
    child.on("error", (error) => {
      child = null;
      resolve({ code: 127, note: error.message });
    });
    child.on("exit", (code, signal) => {
      child = null;
      resolve({ code: code ?? 128, note: signal ? `killed by ${signal}` : undefined });
    });
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const selected = STAGES.filter((s) => (opts.only ? opts.only.has(s.id) : true) && !opts.skip.has(s.id));
  if (selected.length === 0) fail("no stage selected");
  mkdirSync(resultsDir, { recursive: true });

  /** @type {{ stage: Stage, status: "passed" | "failed" | "not run", ms: number, counts?: Counts, note?: string }[]} */
  const rows = selected.map((stage) => ({ stage, status: "not run", ms: 0 }));
  const started = Date.now();
  let stop = false;

  for (const [index, row] of rows.entries()) {
    if (stop || interrupted) break;
    const { stage } = row;
    console.log(`\n${bold(`━━━ [${index + 1}/${rows.length}] ${stage.title} ━━━`)}`);
    const t0 = Date.now();
    let ok;
    if (stage.check) {
      const result = stage.check();
      (result.ok ? console.log : console.error)(result.message);
      ok = result.ok;
    } else {
      stage.before?.();
      const { code, note } = await runCommand(stage);
      ok = code === 0;
      row.note = note ?? (ok ? undefined : `exit ${code}`);
      row.counts = stage.counts?.();
    }
    row.ms = Date.now() - t0;
    row.status = ok ? "passed" : "failed";
    if (ok) {
      console.log(green(`✔ ${stage.title} passed in ${seconds(row.ms)}`));
    } else {
      const why = row.note ? ` (${row.note})` : "";
      console.error(red(bold(`✖ ${stage.title} FAILED${why} after ${seconds(row.ms)}`)));
      console.error(red(`  Re-run just this stage: npm test -- --only=${stage.id}`));
      if (!opts.keepGoing) stop = true;
    }
  }

  // Summary table.
  console.log(`\n${bold("Summary")}`);
  const width = Math.max(...rows.map((r) => r.stage.id.length), 5);
  console.log(dim(`  ${"stage".padEnd(width)}  ${"result".padEnd(8)}  ${"time".padStart(7)}  tests`));
  for (const r of rows) {
    const result = r.status === "passed" ? green("passed  ") : r.status === "failed" ? red("FAILED  ") : dim("not run ");
    const time = r.status === "not run" ? "" : seconds(r.ms);
    const tests = r.counts
      ? `${r.counts.passed} passed, ${r.counts.failed} failed${r.counts.skipped ? `, ${r.counts.skipped} skipped` : ""}`
      : "";
    console.log(`  ${r.stage.id.padEnd(width)}  ${result}  ${time.padStart(7)}  ${tests}`);
  }
  console.log(dim(`  ${"total".padEnd(width)}  ${"".padEnd(8)}  ${seconds(Date.now() - started).padStart(7)}`));

  // Closing line. A failed stage that reported no failing test (lint, typecheck, build, a
  // runner that crashed or found no tests, an interrupted run) counts as one failure, so a red
  // run can never end on "0 failed".
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const r of rows) {
    passed += r.counts?.passed ?? 0;
    skipped += r.counts?.skipped ?? 0;
    const testFailures = r.counts?.failed ?? 0;
    failed += r.status === "failed" && testFailures === 0 ? 1 : testFailures;
  }
  const anyFailed = rows.some((r) => r.status === "failed");
  if (interrupted && !anyFailed) failed += 1;
  if (interrupted) console.error(red("Interrupted."));
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(anyFailed || interrupted ? 1 : 0);
}

await main();
