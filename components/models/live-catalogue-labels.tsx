"use client";

import { type CatalogueEntry, setLiveCatalogue } from "@/lib/keys/catalogue";

/**
 * Hands the catalogue read from AWS to the browser's copy of lib/keys/catalogue, so client
 * components label models AWS added after the built-in list (e.g. global profiles) by name.
 * Rendered by the console layout before the page. Only in the browser: on the server the live
 * catalogue (with its per-region lists) is already installed and must not be replaced by labels.
 */
export function LiveCatalogueLabels({ entries }: { entries: CatalogueEntry[] }) {
  if (typeof window !== "undefined") setLiveCatalogue(entries);
  return null;
}
