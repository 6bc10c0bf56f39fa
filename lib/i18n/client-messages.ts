import type { AbstractIntlMessages } from "next-intl";
import lists from "./client-messages.json";

/**
 * The messages the browser needs, per provider (components/i18n/client-messages.tsx, one in each
 * layout that has one, keyed by the layout's directory under app/): message paths — a namespace
 * or a single key. Without them next-intl serialises the whole catalog (~150 KB for English) into
 * every page's payload, though server components read the catalog on the server and need none of
 * it in the browser. A nested provider replaces its parent's messages, so each list covers every
 * client component rendered inside its layout. The lists are generated and checked by
 * lib/i18n/client-messages.test.ts, which follows the imports of every page and layout to the
 * client components' useTranslations() calls (`UPDATE_CLIENT_MESSAGES=1` rewrites them).
 */
export const CLIENT_MESSAGES: Readonly<Record<string, readonly string[]>> = lists;

/** The catalog narrowed to some namespaces or nested paths ("errors.retry"), sharing the picked subtrees. */
export function pickMessages(messages: AbstractIntlMessages, paths: readonly string[]): AbstractIntlMessages {
  const out: AbstractIntlMessages = {};
  // Shorter first: a path under one already picked is in it already (and writing into a shared
  // subtree would change the catalog itself).
  const sorted = [...paths].sort((a, b) => a.split(".").length - b.split(".").length);
  for (const dotted of sorted) {
    if (sorted.some((p) => p !== dotted && dotted.startsWith(`${p}.`))) continue;
    const keys = dotted.split(".");
    let from: unknown = messages;
    for (const k of keys) from = from && typeof from === "object" ? (from as AbstractIntlMessages)[k] : undefined;
    if (from === undefined) continue;
    let into = out;
    for (const k of keys.slice(0, -1)) into = (into[k] ??= {}) as AbstractIntlMessages;
    into[keys[keys.length - 1]!] = from as AbstractIntlMessages;
  }
  return out;
}
