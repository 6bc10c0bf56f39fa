import { getTranslations } from "next-intl/server";
import type { SessionUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { keyMonthlyCost } from "@/lib/cost/queries";
import { db } from "@/lib/db";
import { MonthlyCostCard } from "./key-cost-card";

/** The key page's tokens and cost. Checks usage.read and the key's scope itself, like the usage card. */
export async function KeyCost({ keyId, viewer }: { keyId: string; viewer: Pick<SessionUser, "id" | "role" | "ledTeamIds"> }) {
  if (!can(viewer.role, "usage.read")) return null;
  const cost = await keyMonthlyCost(db(), viewer, keyId, new Date());
  if (!cost) return null;
  const t = await getTranslations("costViews.monthly");
  return <MonthlyCostCard cost={cost} title={t("keyTitle")} testId="key-cost" />;
}
