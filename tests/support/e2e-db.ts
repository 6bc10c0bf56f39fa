import Database from "better-sqlite3";
import { e2eEnv } from "./e2e-env";

/** The app's database, for what a browser cannot see or do (audit details, letting time pass). */
export function withDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(e2eEnv().dbFile, { timeout: 5_000 });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
