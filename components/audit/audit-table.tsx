import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
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

const DETAILS_SHOWN = 160;
const AGENT_SHOWN = 32;

/** Details as one compact line of JSON; "" for none. Stored details are JSON written by appendAudit. */
export function compactDetails(details: string): string {
  try {
    const value: unknown = JSON.parse(details);
    if (value && typeof value === "object" && Object.keys(value).length === 0) return "";
    return JSON.stringify(value);
  } catch {
    return details;
  }
}

function clip(text: string, max: number) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export async function AuditTable({ rows }: { rows: AuditListEntry[] }) {
  const t = await getTranslations("audit");
  return (
    <Table regionLabel={t("table.caption")} className="min-w-[64rem]">
      <TableCaption>{t("table.caption")}</TableCaption>
      <THead>
        <Tr>
          <Th className="whitespace-nowrap">{t("table.time")}</Th>
          <Th>{t("table.actor")}</Th>
          <Th>{t("table.action")}</Th>
          <Th>{t("table.target")}</Th>
          <Th>{t("table.result")}</Th>
          <Th>{t("table.ip")}</Th>
          <Th>{t("table.userAgent")}</Th>
          <Th>{t("table.details")}</Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map((e) => {
          const details = compactDetails(e.details);
          return (
            <Tr key={e.id}>
              <Td className="whitespace-nowrap font-mono text-xs">
                <Time value={e.createdAt} style="dateTimeSeconds" />
              </Td>
              <Td className="whitespace-nowrap">{e.actorEmail ?? <span className="text-slate-500">{t("table.system")}</span>}</Td>
              <Td className="font-mono text-xs">{e.action}</Td>
              <Td className="min-w-40 [overflow-wrap:anywhere]">
                {e.targetLabel ?? "—"}
                {e.targetType ? <span className="block text-xs text-slate-500">{e.targetType}</span> : null}
              </Td>
              <Td>
                <Badge tone={e.result === "success" ? "success" : "danger"}>{e.result === "success" ? t("result.success") : t("result.failure")}</Badge>
              </Td>
              <Td className="whitespace-nowrap font-mono text-xs">{e.ip ?? "—"}</Td>
              <Td className="min-w-36 text-xs text-slate-600">
                {e.userAgent ? <span title={e.userAgent}>{clip(e.userAgent, AGENT_SHOWN)}</span> : "—"}
              </Td>
              <Td className="min-w-56 max-w-md">
                {details ? (
                  <code className="block font-mono [overflow-wrap:anywhere] text-xs text-slate-700" title={details.length > DETAILS_SHOWN ? details : undefined}>
                    {clip(details, DETAILS_SHOWN)}
                  </code>
                ) : (
                  <span className="text-slate-500">—</span>
                )}
              </Td>
            </Tr>
          );
        })}
      </TBody>
    </Table>
  );
}
