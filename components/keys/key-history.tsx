import { getTranslations } from "next-intl/server";
import type { KeyDetail } from "@/lib/keys/detail";
import { AuditDetails, AuditSentence } from "@/components/audit/audit-sentence";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { Table, TableCaption, TBody, Td, Th, THead, Tr } from "@/components/ui/table";

/**
 * The key's audit entries, newest first (the loader caps them; the audit log has the rest), as the
 * same sentences as the audit log, the recorded JSON behind "Details".
 */
export async function KeyHistory({ history, keyName, names }: { history: KeyDetail["history"]; keyName: string; names: Record<string, string> }) {
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
        <Table regionLabel={t("title")} className="min-w-[44rem]">
          <TableCaption>{t("title")}</TableCaption>
          <THead>
            <Tr>
              <Th>{t("time")}</Th>
              <Th>{ta("table.event")}</Th>
              <Th>{t("result")}</Th>
              <Th>{t("details")}</Th>
            </Tr>
          </THead>
          <TBody>
            {history.map((h) => (
              <Tr key={h.id}>
                <Td className="whitespace-nowrap text-xs">
                  <Time value={h.createdAt} style="dateTimeSeconds" />
                </Td>
                <Td>
                  <AuditSentence entry={{ ...h, targetType: "apiKey", targetLabel: h.targetLabel ?? keyName }} names={names} />
                </Td>
                <Td>
                  <Badge tone={h.result === "success" ? "success" : "danger"}>{h.result === "success" ? ta("result.success") : ta("result.failure")}</Badge>
                </Td>
                <Td className="min-w-24">
                  <AuditDetails details={h.details} />
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
