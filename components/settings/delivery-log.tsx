import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getTimeFormat } from "@/lib/time/server";
import { Time } from "@/components/ui/time";
import type { DeliveryItem } from "@/lib/webhooks/queries";
import { Badge } from "@/components/ui/badge";
import { Table, TableCaption, TBody, Td, Th, THead, Tr } from "@/components/ui/table";

const TONES = { pending: "warning", delivered: "success", failed: "danger" } as const;

/** The webhook delivery log: each event, its attempts and what the receiver answered. */
export async function DeliveryLog({ deliveries, maxAttempts }: { deliveries: { items: DeliveryItem[]; page: number; pages: number; total: number }; maxAttempts: number }) {
  const t = await getTranslations("notifications.deliveries");
  const tc = await getTranslations("common");
  const f = await getTimeFormat();
  const when = (iso: string) => f.withZone(iso, "dateTimeSeconds");
  const outcome = (status: number | null, error: string | null) => (error ? error : status !== null ? `HTTP ${status}` : "—");
  if (deliveries.items.length === 0) {
    return <p className="p-4 text-sm text-slate-600">{t("empty")}</p>;
  }
  return (
    <>
      <Table regionLabel={t("caption")}>
        <TableCaption>{t("caption")}</TableCaption>
        <THead>
          <Tr>
            <Th>{t("event")}</Th>
            <Th>{t("status")}</Th>
            <Th>{t("attempts")}</Th>
            <Th>{t("lastResult")}</Th>
            <Th>{t("queued")}</Th>
            <Th>{t("next")}</Th>
          </Tr>
        </THead>
        <TBody>
          {deliveries.items.map((d) => (
            <Tr key={d.id}>
              <Td>
                <code className="text-xs">{d.event}</code>
                <div className="text-xs text-slate-500">{d.host ?? "—"}</div>
              </Td>
              <Td>
                <Badge tone={TONES[d.status]}>{t(`statuses.${d.status}`)}</Badge>
              </Td>
              <Td>
                {d.attemptLog.length > 0 ? (
                  <details>
                    <summary className="cursor-pointer">{t("attemptsOf", { count: d.attempts, max: maxAttempts })}</summary>
                    <ol className="mt-1 space-y-0.5 text-xs text-slate-600">
                      {d.attemptLog.map((a) => (
                        <li key={a.at}>
                          {when(a.at)} — {outcome(a.status, a.error)} ({t("duration", { ms: a.durationMs })})
                        </li>
                      ))}
                    </ol>
                  </details>
                ) : (
                  t("attemptsOf", { count: d.attempts, max: maxAttempts })
                )}
              </Td>
              <Td className="text-xs">{d.attempts > 0 ? outcome(d.lastStatus, d.lastError) : d.lastError ?? "—"}</Td>
              <Td className="text-xs">
                <Time value={d.createdAt} style="dateTimeSeconds" />
              </Td>
              <Td className="text-xs">{d.deliveredAt ? t("deliveredAt", { when: when(d.deliveredAt) }) : d.nextAttemptAt ? t("nextAt", { when: when(d.nextAttemptAt) }) : "—"}</Td>
            </Tr>
          ))}
        </TBody>
      </Table>
      {deliveries.pages > 1 ? (
        <nav aria-label={t("pagination")} className="flex items-center justify-between border-t border-slate-200 p-4 text-sm">
          <span>{tc("pageOf", { page: deliveries.page, pages: deliveries.pages })}</span>
          <span className="flex gap-3">
            {deliveries.page > 1 ? (
              <Link className="font-medium text-brand-700 hover:underline" href={`/settings?page=${deliveries.page - 1}#deliveries`}>
                {tc("previous")}
              </Link>
            ) : null}
            {deliveries.page < deliveries.pages ? (
              <Link className="font-medium text-brand-700 hover:underline" href={`/settings?page=${deliveries.page + 1}#deliveries`}>
                {tc("next")}
              </Link>
            ) : null}
          </span>
        </nav>
      ) : null}
    </>
  );
}
