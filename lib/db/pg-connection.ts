import { AsyncLocalStorage } from "node:async_hooks";
import type { PrismaPg } from "@prisma/adapter-pg";
import type { PoolClient } from "pg";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

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
}

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
      return run(tx, {
        query: async <R extends object>(text: string, values?: readonly unknown[]) => {
          if (slot.closed) throw new Error("PostgreSQL transaction already closed");
          return (await client.query<R>(text, values as unknown[] | undefined)).rows;
        },
      });
    }),
  );
}
