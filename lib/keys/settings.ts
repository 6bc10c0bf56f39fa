import type { KeyRestrictions } from "./restriction-policy";

/** What the console chose for a key at issuance, kept in ApiKey.settings (JSON). Never a secret. */
export interface KeySettings extends KeyRestrictions {
  extraPolicies: string[];
}

export const EMPTY_SETTINGS: KeySettings = { extraPolicies: [], models: [], cidrs: [], notAfter: null };

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** Tolerant reader: a damaged or older value yields empty settings, not a crash. */
export function parseKeySettings(json: string | null | undefined): KeySettings {
  if (!json) return { ...EMPTY_SETTINGS };
  try {
    const v = JSON.parse(json) as Record<string, unknown>;
    return {
      extraPolicies: strings(v.extraPolicies),
      models: strings(v.models),
      cidrs: strings(v.cidrs),
      notAfter: typeof v.notAfter === "string" ? v.notAfter : null,
    };
  } catch {
    return { ...EMPTY_SETTINGS };
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}
