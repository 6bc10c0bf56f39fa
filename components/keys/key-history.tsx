import { getTranslations } from "next-intl/server";
import type { KeyDetail } from "@/lib/keys/detail";
import { compactDetails } from "@/components/audit/audit-table";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { Table, TableCaption, TBody, Td, Th, THead, Tr } from "@/components/ui/table";

// Audit action names of a key's life, and their label keys under keys.detail.history.actions.
const ACTION_LABELS: Record<string, string> = {
  "keys.issue": "issue",
  "keys.disable": "disable",
  "keys.enable": "enable",
  "keys.reset": "reset",
  "keys.delete": "delete",
  "keys.adopt": "adopt",
  "keys.gone_outside": "goneOutside",
  "inspect.key": "inspect",
};

/** The key's audit entries, newest first (the loader caps them; the audit log has the rest). */
export async function KeyHistory({ history }: { history: KeyDetail["history"] }) {
  const t = await getTranslations("keys.detail.history");
  const ta = await getTranslations("audit");
  return (
    <Card>
      <div className="border-b border-slate-200 p-4">
        <h2 className="text-base font-semibold text-slate-900">{t("title")}</h2>
        <p className="mt-1 text-sm text-slate-600">{t("intro")}</p>
      </div>
      {history.length === 0 ? (
        <p className="px-4 py-8 text-center text-sm text-slate-600">{t("empty")}</p>
      ) : (
        <Table regionLabel={t("title")} className="min-w-[48rem]">
          <TableCaption>{t("title")}</TableCaption>
          <THead>
            <Tr>
              <Th>{t("time")}</Th>
              <Th>{t("actor")}</Th>
              <Th>{t("action")}</Th>
              <Th>{t("result")}</Th>
              <Th>{t("details")}</Th>
            </Tr>
          </THead>
          <TBody>
            {history.map((h) => {
              const details = compactDetails(h.details);
              const label = ACTION_LABELS[h.action];
              return (
                <Tr key={h.id}>
                  <Td className="whitespace-nowrap font-mono text-xs">
                    <Time value={h.createdAt} style="dateTimeSeconds" />
                  </Td>
                  <Td className="whitespace-nowrap">{h.actorEmail ?? <span className="text-slate-500">{ta("table.system")}</span>}</Td>
                  <Td>
                    {label ? t(`actions.${label}`) : null}
                    <span className="block font-mono text-xs text-slate-500">{h.action}</span>
                  </Td>
                  <Td>
                    <Badge tone={h.result === "success" ? "success" : "danger"}>{h.result === "success" ? ta("result.success") : ta("result.failure")}</Badge>
                  </Td>
                  <Td className="max-w-md">
                    {details ? <code className="block font-mono text-xs text-slate-700 [overflow-wrap:anywhere]">{details}</code> : <span className="text-slate-500">—</span>}
                  </Td>
                </Tr>
              );
            })}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
