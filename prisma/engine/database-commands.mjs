// `schema-engine cli <command>`: the CLI runs these as separate processes before starting the
// RPC engine, e.g. `migrate dev` asks can-connect-to-database and, on P1003 ("does not exist"),
// create-database. The wasm engine has no equivalent, so they are implemented here directly.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";

import { parseDatasourceUrl } from "./datasource.mjs";
import { UserFacingError } from "./log.mjs";
import { probePostgres, quoteIdent, withMaintenanceClient } from "./postgres-adapter.mjs";

/** Maps connection failures to the Prisma error codes the CLI understands. */
function postgresError(error, target) {
  const server = `${target.host}:${target.port}`;
  switch (error?.code) {
    case "3D000":
      return new UserFacingError("P1003", `Database \`${target.database}\` does not exist on the database server at \`${server}\`.`);
    case "42P04":
      return new UserFacingError("P1009", `Database \`${target.database}\` already exists on the database server at \`${server}\``);
    case "28P01":
    case "28000":
      return new UserFacingError("P1000", `Authentication failed against database server at \`${server}\`, the provided database credentials are not valid.`);
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new UserFacingError("P1001", `Can't reach database server at \`${server}\`\n\nPlease make sure your database server is running at \`${server}\`.`);
    case "ETIMEDOUT":
      return new UserFacingError("P1002", `The database server at \`${server}\` was reached but timed out.`);
    default:
      if (/\b(SSL|TLS)\b/.test(String(error?.message))) {
        return new UserFacingError("P1011", `Error opening a TLS connection: ${error.message}`);
      }
      return error;
  }
}

const sqliteMissing = (file) =>
  new UserFacingError("P1003", `Database \`${path.basename(file)}\` does not exist at \`${file}\`.`);

/** Resolves with the database name, or rejects with a UserFacingError. */
export async function canConnect(url) {
  const target = parseDatasourceUrl(url);
  if (target.provider === "sqlite") {
    if (target.file !== ":memory:" && !existsSync(target.file)) throw sqliteMissing(target.file);
    // fileMustExist: probing must never create the file (that is create-database's job).
    if (target.file !== ":memory:") new Database(target.file, { fileMustExist: true }).close();
    return path.basename(target.file);
  }
  await probePostgres(target).catch((error) => Promise.reject(postgresError(error, target)));
  return target.database;
}

export async function createDatabase(url) {
  const target = parseDatasourceUrl(url);
  if (target.provider === "sqlite") {
    // The native engine creates missing parent directories too (e.g. `data/` for file:./data/x.db).
    mkdirSync(path.dirname(target.file), { recursive: true });
    new Database(target.file).close();
    return path.basename(target.file);
  }
  await withMaintenanceClient(target, (client) => client.query(`CREATE DATABASE ${quoteIdent(target.database)}`)).catch(
    (error) => Promise.reject(postgresError(error, target)),
  );
  return target.database;
}

export async function dropDatabase(url) {
  const target = parseDatasourceUrl(url);
  if (target.provider === "sqlite") {
    if (!existsSync(target.file)) throw sqliteMissing(target.file);
    for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(`${target.file}${suffix}`, { force: true });
    return path.basename(target.file);
  }
  await withMaintenanceClient(target, (client) => client.query(`DROP DATABASE ${quoteIdent(target.database)}`)).catch(
    (error) => Promise.reject(postgresError(error, target)),
  );
  return target.database;
}

export const DATABASE_COMMANDS = {
  "can-connect-to-database": canConnect,
  "create-database": createDatabase,
  "drop-database": dropDatabase,
};
