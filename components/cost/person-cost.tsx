import { getTranslations } from "next-intl/server";
import type { SessionUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { personMonthlyCost } from "@/lib/cost/queries";
import { db } from "@/lib/db";
import { MonthlyCostCard } from "./key-cost-card";

/** A person's short-term keys' tokens and cost, this month and last; checks usage.read and scope itself. */
export async function PersonCost({ person, viewer }: { person: { id: string; name: string }; viewer: Pick<SessionUser, "id" | "role" | "ledTeamIds"> }) {
  if (!can(viewer.role, "usage.read")) return null;
  const cost = await personMonthlyCost(db(), viewer, person.id, new Date());
  if (!cost) return null;
  const t = await getTranslations("costViews.monthly");
  return <MonthlyCostCard cost={cost} title={t("personTitle", { name: person.name })} testId="person-cost" />;
}
