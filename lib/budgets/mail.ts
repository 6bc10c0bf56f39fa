import { eventTextFor, translatorFor } from "@/lib/notifications/service";

/**
 * The e-mail of a budget event, in the recipient's language (User.locale) and time zone: the same
 * sentence as the bell, a link, and the honest note on lag and on the UTC month.
 */
export function budgetMail(
  kind: "budget.threshold" | "budget.enforced",
  params: Record<string, string | number>,
  link: string | null,
  reader: { locale: string; timeZone: string | null } = { locale: "en", timeZone: null },
): { subject: string; text: string } {
  const t = translatorFor(reader.locale, "budgetMail");
  const line = eventTextFor(kind, params, reader.locale, reader.timeZone);
  const subject = kind === "budget.enforced" ? t("subjectEnforced", { label: params.label ?? "" }) : t("subject", { label: params.label ?? "", threshold: params.threshold ?? "" });
  const text = [line, "", ...(link ? [link, ""] : []), t("lag", { period: params.period ?? "" }), "", t("signature")].join("\n");
  return { subject, text };
}
