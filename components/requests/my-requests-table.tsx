import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Time } from "@/components/ui/time";
import type { RequestView } from "@/lib/requests/view";
import { Table, TableCaption, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { DurationText, RequestStatusBadge } from "./status-badge";

/** The requester's own requests, newest first, with what to do next. */
export async function MyRequestsTable({ rows }: { rows: RequestView[] }) {
  const t = await getTranslations("requests");
  if (rows.length === 0) {
    return (
      <div className="p-8 text-center">
        <p className="text-sm font-medium text-slate-900">{t("mine.empty")}</p>
        <p className="mt-1 text-sm text-slate-600">{t("mine.emptyHint")}</p>
        <Link href="/requests/new" className="mt-4 inline-flex h-10 items-center rounded-md bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700">
          {t("new.open")}
        </Link>
      </div>
    );
  }
  return (
    <Table regionLabel={t("mine.caption")}>
      <TableCaption>{t("mine.caption")}</TableCaption>
      <THead>
        <Tr>
          <Th>{t("table.request")}</Th>
          <Th>{t("table.kind")}</Th>
          <Th>{t("table.team")}</Th>
          <Th>{t("table.asked")}</Th>
          <Th>{t("table.approved")}</Th>
          <Th>{t("table.status")}</Th>
          <Th>{t("table.submitted")}</Th>
          <Th>
            <span className="sr-only">{t("table.next")}</span>
          </Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map((r) => (
          <Tr key={r.id}>
            <Td>
              <Link href={`/requests/${r.id}`} className="font-medium text-brand-700 hover:underline">
                {r.label}
              </Link>
              {r.keyName ? <div className="text-xs text-slate-500">{r.purpose}</div> : null}
            </Td>
            <Td>{t(`kinds.${r.kind}`)}</Td>
            <Td>{r.team.name}</Td>
            <Td>
              <DurationText kind={r.kind} value={r.requested.duration} />
            </Td>
            <Td>{r.approved ? <DurationText kind={r.kind} value={r.approved.duration} /> : "—"}</Td>
            <Td className="whitespace-nowrap">
              <RequestStatusBadge status={r.status} />
            </Td>
            <Td>
              <Time value={r.createdAt} />
            </Td>
            <Td className="whitespace-nowrap text-right">
              {r.can.pickUp ? (
                <Link href={`/requests/${r.id}`} className="inline-flex h-8 items-center rounded-md bg-brand-600 px-3 text-sm font-medium text-white hover:bg-brand-700">
                  {t("mine.pickUp")}
                  <span className="sr-only"> {r.label}</span>
                </Link>
              ) : r.keyId ? (
                <Link href={`/keys/${r.keyId}`} className="text-sm font-medium text-brand-700 hover:underline">
                  {t("mine.openKey")}
                  <span className="sr-only"> {r.label}</span>
                </Link>
              ) : null}
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
