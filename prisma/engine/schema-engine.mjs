#!/usr/bin/env node
// A stand-in for Prisma's native `schema-engine` binary, so that no Prisma CLI command needs to
// download anything.
//
// Why: every Prisma 7 CLI command (even `prisma --version` and `prisma generate`) wants the
// native schema-engine executable and downloads it from binaries.prisma.sh when it is missing.
// That host is unreachable here (and in any air-gapped network). The CLI lets us replace the
// binary with `PRISMA_SCHEMA_ENGINE_BINARY` (set in prisma.config.ts). This program behaves like
// that binary, but runs Prisma's own schema engine compiled to WebAssembly (shipped in the
// `prisma` package) on top of the same driver adapters the app uses (better-sqlite3, pg).
//
// The CLI starts it in three ways:
//   schema-engine --version                             -> "schema-engine-cli <commit hash>"
//   schema-engine --datasource <json> cli <command>     -> create/drop/can-connect database
//   schema-engine --datamodels <file>... --datasource <json>  -> JSON-RPC over stdin/stdout
// Everything is logged to stderr as JSON lines, like the native engine (see log.mjs).
import { logInfo, logLine, logUserError, UserFacingError } from "./log.mjs";

/** Parses the native engine's flags; unknown flags are ignored (forward compatibility). */
function parseArgs(argv) {
  const args = { datamodels: [], datasource: undefined, command: undefined, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--version" || arg === "-V" || arg === "-v") args.version = true;
    else if (arg === "--datamodels" || arg === "-d") args.datamodels.push(argv[++i]);
    else if (arg === "--datasource") args.datasource = JSON.parse(argv[++i]);
    else if (arg === "--enabled-preview-features" || arg === "--extension-types") i++;
    else if (arg === "cli") args.command = argv[++i] ?? "";
  }
  return args;
}

const warn = (message) => logLine("WARN", { message }, "schema_engine::wasm");

// The CLI parses our stderr as JSON lines (for `cli` commands it fails on any other line), so
// Node's own warnings (e.g. pg-connection-string's notice about `sslmode=require`) must not be
// printed in Node's plain-text format: replace the default printer with a JSON one.
process.removeAllListeners("warning");
process.on("warning", (warning) => logLine("WARN", { message: `${warning.name}: ${warning.message}` }, "schema_engine::node"));

async function main() {
  const args = parseArgs(process.argv.slice(2));

  if (args.version) {
    // Shown by `prisma --version` next to the CLI's own engines hash: they should be equal.
    const { loadSchemaEngineWasm } = await import("./wasm-loader.mjs");
    process.stdout.write(`schema-engine-cli ${loadSchemaEngineWasm(warn).engine.version()}\n`);
    return;
  }

  if (args.command !== undefined) {
    const { DATABASE_COMMANDS } = await import("./database-commands.mjs");
    const command = DATABASE_COMMANDS[args.command];
    if (!command) throw new UserFacingError("P1012", `Unknown schema engine cli command: ${args.command}`);
    // The CLI drops the first stderr line and parses the rest as JSON, so start with one.
    logInfo("Starting schema engine CLI");
    const databaseName = await command(args.datasource?.url);
    if (args.command !== "can-connect-to-database") process.stdout.write(`${databaseName}\n`);
    return;
  }

  const { serveJsonRpc } = await import("./rpc-server.mjs");
  await serveJsonRpc({ datamodels: args.datamodels, datasource: args.datasource, warn });
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    if (error instanceof UserFacingError) logUserError(error);
    else logUserError({ code: undefined, message: error?.stack ?? String(error) });
    process.exit(1);
  },
);
