import "server-only";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { loadPosture } from "./queries";
import { isRule, RULE_INFO, type FixKind, type RuleId } from "./rules";
import { getPostureSettings } from "./settings";

const NEEDS_KEY: ReadonlySet<FixKind> = new Set(["disable", "delete", "keyPage"]);

/** The fixes a person is offered: the rule's, narrowed by role (leads disable and edit only) and by what the finding has. */
export function offeredFixes(role: string, rule: RuleId, hasKey: boolean): FixKind[] {
  return RULE_INFO[rule].fixes.filter((f) => (role === "admin" || f === "disable" || f === "keyPage") && (hasKey || !NEEDS_KEY.has(f)));
}

export async function loadPosturePage(searchParams: Record<string, string | string[] | undefined>) {
  const user = await requireUser();
  if (!can(user.role, "posture.read")) notFound();
  const now = new Date();
  const expand = isRule(searchParams.rule) ? searchParams.rule : null;
  const isAdmin = can(user.role, "posture.manage");
  const [data, settings, teams] = await Promise.all([
    loadPosture(db(), user, now, expand),
    getPostureSettings(db()),
    isAdmin ? db().team.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }) : Promise.resolve([]),
  ]);
  return { user, now, expand, data, settings, teams, isAdmin, canAccept: can(user.role, "posture.accept"), canEvaluate: can(user.role, "posture.evaluate") };
}
