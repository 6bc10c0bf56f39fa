import { eventText } from "@/lib/notifications/service";

/**
 * The e-mail of a budget event, in English (like the webhook's "text"): the same sentence as the
 * bell, a link, and the honest note on lag and on the UTC month.
 */
export function budgetMail(kind: "budget.threshold" | "budget.enforced", params: Record<string, string | number>, link: string | null): { subject: string; text: string } {
  const line = eventText(kind, params);
  const subject = kind === "budget.enforced" ? `Budget reached: ${params.label}` : `Budget ${params.threshold}% reached: ${params.label}`;
  const text = [
    line,
    "",
    ...(link ? [link, ""] : []),
    `Budgets run per calendar month in UTC (this one: ${params.period}). Spend is read from Bedrock's model invocation logs, which arrive minutes after the calls, so this message and any action follow the spending by a few minutes.`,
    "",
    "— Bedrock Key Console",
  ].join("\n");
  return { subject, text };
}
