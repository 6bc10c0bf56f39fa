// The schema engine's JSON-RPC 2.0 server over stdio, answered by the wasm engine.
//
// The CLI writes one request per line on stdin and reads one response per line on stdout
// (see SchemaEngineCLI in prisma/prisma packages/migrate). Method names and parameter shapes are
// the same as the wasm engine's, because both are generated from the same Rust types; the few
// differences are handled in METHODS below.
import { appendFileSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";

import { createAdapterFactories } from "./adapters.mjs";
import { providerFromSchemas } from "./datasource.mjs";
import { createDatabase } from "./database-commands.mjs";
import { logInfo, logLine } from "./log.mjs";
import { ensureMigrationsTable, resetDatabase, withMigrationsTable } from "./sqlite-engine-fixes.mjs";
import { lastPanicMessage, loadSchemaEngineWasm } from "./wasm-loader.mjs";

/** JSON-RPC error code the native engine uses for every engine error (details in `data`). */
const ENGINE_ERROR_CODE = 4466;
const EXIT_PANIC = 101;

/**
 * @param {{ datamodels: string[], datasource: { url?: string, shadowDatabaseUrl?: string } | undefined,
 *   warn: (message: string) => void }} options
 */
export async function serveJsonRpc({ datamodels, datasource, warn }) {
  const { engine: wasm } = loadSchemaEngineWasm(warn);
  // `SchemaEngine.new` wants [path, content] pairs, or undefined (never an empty array).
  const schemaFiles = datamodels.map((file) => [file, readFileSync(file, "utf8")]);
  const adapters = createAdapterFactories(datasource, providerFromSchemas(schemaFiles));
  const output = createOutput();

  let enginePromise = null;
  const engine = () => {
    enginePromise ??= wasm.SchemaEngine.new(
      { datamodels: schemaFiles.length > 0 ? schemaFiles : undefined },
      forwardEngineLog,
      adapters.bound,
    );
    return enginePromise;
  };

  const context = { engine, datasource, output, adapters };
  let queue = Promise.resolve();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      output.send({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
      return;
    }
    if (message.method === undefined) {
      output.acknowledge(message); // a response to one of our `print` requests
      return;
    }
    // One request at a time: the engine is single-threaded and the CLI never pipelines anyway.
    queue = queue.then(() => handleRequest(message, context));
  });

  // The CLI ends a session by closing stdin and, on Unix, sending SIGTERM right after. Treat both
  // as "finish the current request, then close the database cleanly": SQLite connections of the
  // engine hold an exclusive lock and leave a stale -journal file behind if not closed.
  process.once("SIGTERM", () => {
    lines.close();
    setTimeout(() => process.exit(process.exitCode ?? 0), 5000).unref();
  });

  logInfo("Starting schema engine RPC server (wasm)");
  await new Promise((resolve) => lines.once("close", resolve));
  await queue;
  if (enginePromise) (await enginePromise.catch(() => null))?.free();
  await adapters.mainConnection()?.dispose();
}

/** Set SCHEMA_ENGINE_TRACE=<file> to record every request and response (debugging aid). */
function trace(entry) {
  if (process.env.SCHEMA_ENGINE_TRACE) appendFileSync(process.env.SCHEMA_ENGINE_TRACE, `${JSON.stringify(entry)}\n`);
}

async function handleRequest(request, context) {
  trace({ request });
  const method = METHODS[request.method];
  if (!method) {
    context.output.send({ jsonrpc: "2.0", id: request.id, error: { code: -32601, message: `Method not found: ${request.method}` } });
    return;
  }
  try {
    const result = await method(request.params ?? {}, context);
    context.output.send({ jsonrpc: "2.0", id: request.id, result: result ?? null });
  } catch (error) {
    const panic = isPanic(error);
    const rpcError = toRpcError(error, context.adapters.bound, panic);
    context.output.send({ jsonrpc: "2.0", id: request.id, error: rpcError });
    if (panic) {
      // A wasm instance is unusable after a panic; exit like the native engine does.
      logLine("ERROR", { is_panic: true, message: rpcError.data.message, backtrace: error.stack ?? "" });
      process.exitCode = EXIT_PANIC;
      process.stdin.destroy();
    }
  }
}

/** Calls an engine method. The method must be called on the engine object (wasm-bindgen `this`). */
const call = (name) => async (params, { engine }) => (await engine())[name](params);

/** The engine's connection to a SQLite main database, or undefined for other providers. */
async function sqliteConnection({ engine, adapters }) {
  await engine(); // the engine connects while being created
  return adapters.provider === "sqlite" ? adapters.mainConnection() : undefined;
}

/**
 * Runs a read-only method that reads `_prisma_migrations`, tolerating its absence on SQLite the
 * way the native engine does (see sqlite-engine-fixes.mjs). Postgres needs no help here.
 */
async function readingMigrationsTable(name, params, context) {
  const instance = await context.engine();
  const connection = await sqliteConnection(context);
  if (!connection) return { result: await instance[name](params), tableExisted: true };
  return withMigrationsTable(connection, () => instance[name](params));
}

const METHODS = {
  applyMigrations: call("applyMigrations"),
  createMigration: call("createMigration"),
  dbExecute: call("dbExecute"),
  debugPanic: call("debugPanic"),
  devDiagnostic: async (params, context) => (await readingMigrationsTable("devDiagnostic", params, context)).result,
  async diagnoseMigrationHistory(params, context) {
    const { result, tableExisted } = await readingMigrationsTable("diagnoseMigrationHistory", params, context);
    return tableExisted ? result : { ...result, hasMigrationsTable: false };
  },
  ensureConnectionValidity: call("ensureConnectionValidity"),
  evaluateDataLoss: call("evaluateDataLoss"),
  introspect: call("introspect"),
  introspectSql: call("introspectSql"),
  async markMigrationApplied(params, context) {
    const connection = await sqliteConnection(context);
    if (connection) await ensureMigrationsTable(connection);
    return (await context.engine()).markMigrationApplied(params);
  },
  markMigrationRolledBack: async (params, context) =>
    (await readingMigrationsTable("markMigrationRolledBack", params, context)).result,
  async reset(params, context) {
    const connection = await sqliteConnection(context);
    if (connection) return resetDatabase(connection, params?.filter);
    return (await context.engine()).reset(params);
  },
  schemaPush: call("schemaPush"),

  // The native engine prints the diff by sending a `print` request to the CLI; the wasm engine
  // returns it as `stdout` instead. Turn it back into a `print` so `migrate diff` shows it.
  async diff(params, { engine, output }) {
    const { stdout, ...rest } = await (await engine()).diff(params);
    if (stdout) await output.print(stdout.replace(/\n$/, ""));
    return rest;
  },

  // Named `version` in the wasm engine.
  getDatabaseVersion: async (params, { engine }) => (await engine()).version(params?.datasource ? params : null),

  // Not in the wasm engine: same implementation as `schema-engine cli create-database`.
  async createDatabase(params, { datasource }) {
    const url = params?.datasource?.tag === "ConnectionString" ? params.datasource.url : datasource?.url;
    return { databaseName: await createDatabase(url) };
  },
};

function forwardEngineLog(line) {
  // The wasm engine hands us its tracing output; keep it in the native stderr format.
  try {
    const parsed = JSON.parse(line);
    if (parsed && typeof parsed === "object" && parsed.fields) {
      process.stderr.write(`${JSON.stringify(parsed)}\n`);
      return;
    }
  } catch {
    // not JSON: wrap it below
  }
  logLine("INFO", { message: String(line) }, "schema_engine::wasm");
}

const isPanic = (error) => error instanceof WebAssembly.RuntimeError;

/** Shapes an error like the native engine's JSON-RPC errors, which the CLI turns into messages. */
function toRpcError(error, adapterFactory, panic) {
  const raw = (panic && lastPanicMessage()) || String(error?.message ?? error);
  const message = explainExternalErrors(raw, adapterFactory.errorRegistry);
  const data = { is_panic: panic, message, meta: error?.meta ?? null };
  if (typeof error?.code === "string" && /^P\d{4}$/.test(error.code)) data.error_code = error.code;
  // For panics the CLI shows the top-level message, otherwise the one in `data`.
  const summary = panic ? message : "An error happened. Check the data field for details.";
  return { code: ENGINE_ERROR_CODE, message: summary, data };
}

/**
 * Errors thrown by JavaScript inside a driver adapter reach the engine only as an id in the
 * adapter's error registry ("External error id#3"); put the original message next to it.
 */
function explainExternalErrors(message, registry) {
  return message.replace(/External error id#(\d+)/g, (text, id) => {
    const original = registry.consumeError(Number(id))?.error;
    return original ? `${text}: ${original.message ?? original}` : text;
  });
}

/** stdout writer with support for engine-to-CLI requests (`print`), which the CLI acknowledges. */
function createOutput() {
  let nextId = 1;
  const pending = new Map();
  const send = (message) => {
    trace({ send: message });
    process.stdout.write(`${JSON.stringify(message)}\n`);
  };
  return {
    send,
    print(content) {
      const id = `print-${nextId++}`;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        send({ jsonrpc: "2.0", id, method: "print", params: { content } });
      });
    },
    acknowledge(response) {
      pending.get(response.id)?.();
      pending.delete(response.id);
    },
  };
}
