// Types for db-migration.mjs (the project has allowJs off).
export declare function missingTwins(): string[];
