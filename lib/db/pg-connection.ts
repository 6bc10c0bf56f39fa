import { AsyncLocalStorage } from "node:async_hooks";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PrismaPg } from "@prisma/adapter-pg";
import type { PoolClient } from "pg";
import { from as copyFromStdin } from "pg-copy-streams";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { quotedColumns } from "./dialect";

/**
 * The node-postgres connection behind a Prisma interactive transaction on PostgreSQL, for the one
 * writer that needs more than Prisma's raw queries give: the usage ingest (lib/usage/ingest.ts),
 * which sends each statement's thousands of rows as one multi-megabyte JSON parameter. Through
 * `$executeRaw` Prisma serialises every such parameter once more and maps the results back (issue
 * 19's benchmark, a CPU profile of 100,000 events: 2.6 s of Prisma's own code on the main thread,
 * 0.3 s after); on the connection the text goes to the server as it is, and all of a page's other
 * writes go in one statement (one round trip).
 *
 * The adapter runs a transaction on one pooled connection (BEGIN … COMMIT on it), held until the
 * transaction ends, so statements sent on that connection inside the `$transaction` callback are
 * part of the transaction and roll back with it. The connection is captured when the adapter
 * starts the transaction, inside the async context of `pgTransaction` (AsyncLocalStorage), and
 * refused once Prisma has begun to commit or roll back (a timed-out transaction's connection goes
 * back to the pool, where a statement would run on its own).
 */
export interface PgTransactionConnection {
  query<R extends object = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<R[]>;
  /**
   * `COPY table (columns) FROM STDIN` of `rows` (text format, see copyText), on the same
   * connection and in the same transaction; resolves to the number of rows copied.
   */
  copyFrom(table: string, columns: readonly string[], rows: readonly (readonly CopyValue[])[]): Promise<number>;
}

export type CopyValue = string | number | bigint | null;

/**
 * Rows in COPY's text format: columns separated by a tab, rows ended by a newline, NULL as `\N`,
 * and in a value the backslash, newline, carriage return and tab escaped with a backslash
 * (https://www.postgresql.org/docs/current/sql-copy.html, "Text Format"). A value that has none
 * of them — a CloudTrail record as JSON text, almost always — is copied as it is.
 */
export function copyText(rows: readonly (readonly CopyValue[])[]): string {
  const parts: string[] = [];
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (v === null) parts.push("\\N");
      else if (typeof v !== "string") parts.push(String(v));
      else parts.push(COPY_SPECIAL.test(v) ? v.replace(COPY_ESCAPES, (c) => COPY_ESCAPED[c]!) : v);
      parts.push(i === row.length - 1 ? "\n" : "\t");
    }
  }
  return parts.join("");
}

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_ESCAPES = /[\\\n\r\t]/g;
const COPY_ESCAPED: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

const CAPTURES = Symbol.for("bedrock-key-console.pgTransactionConnections");
const starting = new AsyncLocalStorage<{ client?: PoolClient; closed?: boolean }>();

/** Called by createPrismaClient: transactions of `client` (on this adapter factory) expose their connection to pgTransaction. */
export function capturePgTransactions(factory: PrismaPg, client: object): PrismaPg {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args) => {
      const tx = await start(...args);
      const slot = starting.getStore();
      if (slot && !slot.client) {
        slot.client = (tx as unknown as { client: PoolClient }).client;
        // Prisma sends COMMIT or ROLLBACK through executeRaw and then releases the connection.
        const executeRaw = tx.executeRaw.bind(tx);
        tx.executeRaw = (query) => {
          if (/^\s*(COMMIT|ROLLBACK)\b/i.test(query.sql)) slot.closed = true;
          return executeRaw(query);
        };
        for (const end of ["commit", "rollback"] as const) {
          const original = tx[end].bind(tx);
          tx[end] = () => {
            slot.closed = true;
            return original();
          };
        }
      }
      return tx;
    };
    return adapter;
  };
  Object.defineProperty(client, CAPTURES, { value: true, enumerable: false });
  return factory;
}

/**
 * `db.$transaction(run)`, with the transaction's own connection as `run`'s second argument on
 * PostgreSQL (undefined on SQLite, or if the connection could not be captured: then use `tx`).
 */
export function pgTransaction<T>(db: PrismaClient, run: (tx: Prisma.TransactionClient, pg: PgTransactionConnection | undefined) => Promise<T>): Promise<T> {
  if (!(db as { [CAPTURES]?: boolean })[CAPTURES]) return db.$transaction((tx) => run(tx, undefined));
  const slot: { client?: PoolClient; closed?: boolean } = {};
  return starting.run(slot, () =>
    db.$transaction((tx) => {
      const client = slot.client;
      if (!client) return run(tx, undefined);
      const open = () => {
        if (slot.closed) throw new Error("PostgreSQL transaction already closed");
      };
      return run(tx, {
        query: async <R extends object>(text: string, values?: readonly unknown[]) => {
          open();
          return (await client.query<R>(text, values as unknown[] | undefined)).rows;
        },
        copyFrom: async (table, columns, rows) => {
          open();
          const copy = client.query(copyFromStdin(`COPY "${table}" (${quotedColumns(columns)}) FROM STDIN`));
          await pipeline(Readable.from([copyText(rows)]), copy);
          return copy.rowCount;
        },
      });
    }),
  );
}
