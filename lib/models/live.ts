import type { PrismaClient } from "@/lib/generated/prisma/client";
import { type CatalogueEntry, setLiveCatalogue } from "@/lib/keys/catalogue";

/**
 * Installs the catalogue stored from AWS (lib/models/service.ts) into lib/keys/catalogue, where
 * the pickers, labels, validation and restriction policies look models up. Re-read at most every
 * RELOAD_MS per process, so an instance sees another instance's refresh within seconds.
 */

const RELOAD_MS = 30_000;
const state = globalThis as unknown as { __liveCatalogueAt?: number; __liveCatalogueLoading?: Promise<void> };

export type StoredEntry = CatalogueEntry & { region: string };

/** Every stored entry (all accounts and regions; gone ones flagged). */
export async function storedEntries(db: PrismaClient): Promise<StoredEntry[]> {
  const rows = await db.bedrockCatalogueEntry.findMany({ orderBy: [{ region: "asc" }, { provider: "asc" }, { label: "asc" }] });
  return rows.map((r) => ({
    id: r.id,
    region: r.region,
    label: r.label,
    kind: r.kind === "inference-profile" ? "inference-profile" : "foundation-model",
    modelId: r.modelId,
    provider: r.provider,
    ...(r.geography ? { geography: r.geography } : {}),
    ...(r.lifecycle === "LEGACY" ? { legacy: true } : {}),
    ...(r.goneAt ? { gone: true } : {}),
  }));
}

export async function reloadLiveCatalogue(db: PrismaClient): Promise<void> {
  setLiveCatalogue(await storedEntries(db));
  state.__liveCatalogueAt = Date.now();
}

/** Before reading the catalogue in a page, loader or action: the stored catalogue, at most RELOAD_MS old. */
export async function ensureLiveCatalogue(db: PrismaClient): Promise<void> {
  if (state.__liveCatalogueAt !== undefined && Date.now() - state.__liveCatalogueAt < RELOAD_MS) return;
  state.__liveCatalogueLoading ??= reloadLiveCatalogue(db).finally(() => {
    state.__liveCatalogueLoading = undefined;
  });
  await state.__liveCatalogueLoading;
}
