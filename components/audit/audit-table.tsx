import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { AuditDetails, AuditSentence } from "./audit-sentence";
import { Table, TableCaption, TBody, Td, Th, THead, Tr } from "@/components/ui/table";

export interface AuditListEntry {
  id: number;
  createdAt: Date;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetLabel: string | null;
  result: string;
  ip: string | null;
  userAgent: string | null;
  details: string;
}

const AGENT_SHOWN = 32;

function clip(text: string, max: number) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Entries as sentences ("Ada issued … for Dana (Payments), 90 days"), the recorded JSON behind "Details". */
export async function AuditTable({ rows, names }: { rows: AuditListEntry[]; names: Record<string, string> }) {
  const t = await getTranslations("audit");
  return (
    <Table regionLabel={t("table.caption")} className="min-w-[56rem]">
      <TableCaption>{t("table.caption")}</TableCaption>
      <THead>
        <Tr>
          <Th className="whitespace-nowrap">{t("table.time")}</Th>
          <Th>{t("table.event")}</Th>
          <Th>{t("table.result")}</Th>
          <Th>{t("table.ip")}</Th>
          <Th>{t("table.userAgent")}</Th>
          <Th>{t("table.details")}</Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map((e) => (
          <Tr key={e.id}>
            <Td className="whitespace-nowrap text-xs">
              <Time value={e.createdAt} style="dateTimeSeconds" />
            </Td>
            <Td>
              <AuditSentence entry={e} names={names} />
            </Td>
            <Td>
              <Badge tone={e.result === "success" ? "success" : "danger"}>{e.result === "success" ? t("result.success") : t("result.failure")}</Badge>
            </Td>
            <Td className="whitespace-nowrap font-mono text-xs">{e.ip ?? "—"}</Td>
            <Td className="min-w-36 text-xs text-slate-600">
              {e.userAgent ? <span title={e.userAgent}>{clip(e.userAgent, AGENT_SHOWN)}</span> : "—"}
            </Td>
            <Td className="min-w-24">
              <AuditDetails details={e.details} />
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
