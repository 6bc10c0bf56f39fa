// Types for e2e-ports.mjs (the project has allowJs off).
export declare const E2E_APP_PORT: number;
export declare const E2E_SANDBOX_PORT: number;
export declare const E2E_APP_URL: string;
export declare const E2E_SANDBOX_URL: string;
export declare const E2E_ENV_FILE: string;
export declare const E2E_IDP_PORT: number;
export declare const E2E_IDP_LOGIN_PORT: number;
export declare const E2E_APP2_PORT: number;
export declare const E2E_APP2_URL: string;
export declare const E2E_IDP_URL: string;
export declare const E2E_IDP_LOGIN_URL: string;
export declare const E2E_IDP_CLIENT: { id: string; secret: string };
