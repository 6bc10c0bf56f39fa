export const PG_MIGRATIONS: string;
export const TEMPLATE_DB: string;
export function findPgBin(): string;
export interface PgCluster {
  port: number;
  dir: string;
  bin: string;
  url(db?: string): string;
  stop(): void;
  log(): string;
}
export function startPgCluster(options?: { quiet?: boolean; durable?: boolean }): Promise<PgCluster>;
export function migrationScripts(dir?: string): string[];
export function withPgClient<T>(url: string, fn: (client: import("pg").Client) => Promise<T>): Promise<T>;
export function applyPgMigrations(url: string, dir?: string): Promise<void>;
export function createTemplate(serverUrl: string): Promise<void>;
export function freePort(): Promise<number>;
