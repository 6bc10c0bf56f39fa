import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * Posture settings (one row, id "org"): the "unused" threshold, the teams whose policy is
 * short-term keys only (the org policy has no per-team setting, so this is the smallest one that
 * makes the rule meaningful), and the opt-in automatic remediation. Pure schema + a loader.
 */

export const SETTINGS_ID = "org";

export interface PostureSettings {
  version: number;
  unusedDays: number;
  shortTermOnlyTeams: string[];
  autoDisableUnused: boolean;
  autoDeleteOrphans: boolean;
  orphanGraceDays: number;
}

export const DEFAULT_SETTINGS: PostureSettings = { version: 0, unusedDays: 90, shortTermOnlyTeams: [], autoDisableUnused: false, autoDeleteOrphans: false, orphanGraceDays: 30 };

const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());

export const settingsSchema = z.object({
  version: z.coerce.number().int().min(0),
  unusedDays: z.coerce.number().int().min(7).max(730),
  shortTermOnlyTeams: z.preprocess((v) => (v === undefined ? [] : typeof v === "string" ? [v] : v), z.array(z.string().min(1).max(64)).max(500)),
  autoDisableUnused: checkbox,
  autoDeleteOrphans: checkbox,
  orphanGraceDays: z.coerce.number().int().min(1).max(365),
});

export type SettingsInput = z.output<typeof settingsSchema>;

function teams(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export async function getPostureSettings(db: PrismaClient): Promise<PostureSettings> {
  const row = await db.postureSettings.findUnique({ where: { id: SETTINGS_ID } });
  if (!row) return { ...DEFAULT_SETTINGS };
  return {
    version: row.version,
    unusedDays: row.unusedDays,
    shortTermOnlyTeams: teams(row.shortTermOnlyTeams),
    autoDisableUnused: row.autoDisableUnused,
    autoDeleteOrphans: row.autoDeleteOrphans,
    orphanGraceDays: row.orphanGraceDays,
  };
}
