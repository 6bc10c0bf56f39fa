"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { modelLabel } from "@/lib/keys/catalogue";
import { usageQuery, type UsageFilters } from "@/lib/usage/filters";
import type { EventListItem } from "@/lib/usage/queries";
import { useTimeFormat } from "@/lib/time/use-time";
import { Time } from "@/components/ui/time";
import { Badge } from "@/components/ui/badge";
import { Table, TableCaption, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { Who } from "./who";

const AGENT_SHOWN = 20;

/**
 * One page of calls, newest first; "Details" opens the drill-down (?event=…) for that call.
 * A client component although it has no state: the page then sends the rows' data (~0.7 KB a
 * row) in its React payload instead of the rendered table (~2.3 KB a row, every cell's markup).
 */
export function EventsTable({ rows, filters }: { rows: EventListItem[]; filters: UsageFilters }) {
  const t = useTranslations("usage.events");
  const f = useTimeFormat();
  return (
    <Table regionLabel={t("caption")} className="min-w-[56rem]">
      <TableCaption>{t("caption")}</TableCaption>
      <THead>
        <Tr>
          <Th className="whitespace-nowrap">{t("time")}</Th>
          <Th>{t("who")}</Th>
          <Th>{t("model")}</Th>
          <Th>{t("region")}</Th>
          <Th>{t("sourceIp")}</Th>
          <Th>{t("userAgent")}</Th>
          <Th>{t("result")}</Th>
          <Th>
            <span className="sr-only">{t("details")}</span>
          </Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map((e) => (
          <Tr key={e.ref}>
            {/* May wrap (date, then time and zone): at 1440 px the whole row, "Details" included, fits its card. */}
            <Td className="min-w-36 font-mono text-xs">
              <Time value={e.eventTime} style="dateTimeSeconds" />
            </Td>
            <Td className="min-w-48">
              <Who who={e.who} compact />
              <span className="block text-xs text-slate-500">{e.identityType === "long-term" ? t("longTerm") : t("shortTerm")}</span>
            </Td>
            <Td className="min-w-40 text-xs" title={e.modelId}>
              {e.modelId ? modelLabel(e.modelId) : "—"}
              <span className="block text-slate-500">{e.eventName}</span>
            </Td>
            <Td className="whitespace-nowrap text-xs">
              {e.region}
              {e.inferenceRegion && e.inferenceRegion !== e.region ? <span className="block text-slate-500">→ {e.inferenceRegion}</span> : null}
            </Td>
            <Td className="whitespace-nowrap font-mono text-xs">{e.sourceIp || "—"}</Td>
            <Td className="whitespace-nowrap text-xs text-slate-600">
              <span title={e.userAgent}>{e.userAgent.length > AGENT_SHOWN ? `${e.userAgent.slice(0, AGENT_SHOWN - 1)}…` : e.userAgent || "—"}</span>
            </Td>
            <Td className="whitespace-nowrap">
              {/* AWS's code without the SDK-style "Exception" suffix keeps the column narrow; the drill-down has it whole. */}
              {e.errorCode ? <Badge tone="danger">{e.errorCode.replace(/Exception$/, "")}</Badge> : <Badge tone="success">{t("ok")}</Badge>}
            </Td>
            <Td>
              <Link href={`/usage${usageQuery(filters, { event: e.ref })}`} scroll={false} className="text-sm font-medium text-brand-700 hover:underline">
                {t("details")}
                <span className="sr-only"> {t("detailsOf", { time: f.withZone(e.eventTime, "dateTimeSeconds") })}</span>
              </Link>
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
