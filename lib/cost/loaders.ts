import "server-only";
import { can } from "@/lib/auth/permissions";
import { sessionUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { listPricesInForce, PRICE_LIST } from "./prices";

export interface PriceRowView {
  id: string;
  modelId: string;
  region: string;
  inputPerMTok: number;
  outputPerMTok: number;
  cacheReadPerMTok: number | null;
  cacheWritePerMTok: number | null;
  source: string;
  asOf: string;
  note: string;
  createdByEmail: string | null;
  /** An admin row hides AWS's row for the same model and region (or every region). */
  overridden: boolean;
}

/** Settings → Prices: null for anyone who may not manage prices (the section is not shown). */
export async function loadPriceSettings() {
  const user = await sessionUser();
  if (!user || !can(user.role, "policy.manage")) return null;
  const rows = await listPricesInForce(db());
  const admin = rows.filter((r) => r.source === "admin");
  const view: PriceRowView[] = rows.map((r) => ({
    id: r.id,
    modelId: r.modelId,
    region: r.region,
    inputPerMTok: r.inputPerMTok,
    outputPerMTok: r.outputPerMTok,
    cacheReadPerMTok: r.cacheReadPerMTok,
    cacheWritePerMTok: r.cacheWritePerMTok,
    source: r.source,
    asOf: r.asOf,
    note: r.note,
    createdByEmail: r.createdByEmail,
    overridden: r.source === "aws" && admin.some((a) => a.modelId === r.modelId && (a.region === r.region || a.region === "*")),
  }));
  return { rows: view, asOf: PRICE_LIST.asOf, regions: config().BEDROCK_REGIONS, models: [...new Set(rows.map((r) => r.modelId))].sort() };
}
