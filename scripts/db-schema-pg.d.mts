// Types for db-schema-pg.mjs (the project has allowJs off).
export declare const SQLITE_SCHEMA: string;
export declare const PG_SCHEMA: string;
export declare function derivePgSchema(source: string): string;
