import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Time } from "@/components/ui/time";
import { modelLabel } from "@/lib/keys/catalogue";
import type { QueueFilters } from "@/lib/requests/schemas";
import { QUEUE_STATUSES } from "@/lib/requests/schemas";
import type { RequestView } from "@/lib/requests/view";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { Table, TableCaption, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { DurationText, RequestStatusBadge } from "./status-badge";

/** Status and team filters as a GET form: the view lives in the URL. */
export async function QueueFiltersForm({ filters, teams }: { filters: QueueFilters; teams: { id: string; name: string }[] }) {
  const t = await getTranslations();
  return (
    <form method="get" action="/requests" role="search" aria-label={t("requests.queue.filters")} className="flex flex-wrap items-end gap-3 border-b border-slate-200 p-4">
      <input type="hidden" name="tab" value="approvals" />
      <div className="w-48">
        <SelectField label={t("requests.table.status")} name="status" defaultValue={filters.status}>
          {QUEUE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s === "all" ? t("common.all") : t(`requests.status.${s}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="w-48">
        <SelectField label={t("requests.table.team")} name="teamId" defaultValue={filters.teamId ?? ""}>
          <option value="">{t("common.all")}</option>
          {teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="mb-5 flex gap-2">
        <Button type="submit">{t("common.apply")}</Button>
        <Link href="/requests?tab=approvals" className="inline-flex h-10 items-center rounded-md px-4 text-sm font-medium text-slate-700 hover:bg-slate-100">
          {t("common.clearFilters")}
        </Link>
      </div>
    </form>
  );
}

/** Requests the viewer may decide. Deciding happens on the request's page, where everything asked is visible. */
export async function ApprovalsTable({ rows, filtered }: { rows: RequestView[]; filtered: boolean }) {
  const t = await getTranslations("requests");
  const now = new Date();
  if (rows.length === 0) {
    return (
      <div className="p-8 text-center">
        <p className="text-sm font-medium text-slate-900">{filtered ? t("queue.emptyFiltered") : t("queue.empty")}</p>
        <p className="mt-1 text-sm text-slate-600">{t("queue.emptyHint")}</p>
      </div>
    );
  }
  return (
    <Table>
      <TableCaption>{t("queue.caption")}</TableCaption>
      <THead>
        <Tr>
          <Th>{t("table.request")}</Th>
          <Th>{t("table.requester")}</Th>
          <Th>{t("table.team")}</Th>
          <Th>{t("table.kind")}</Th>
          <Th>{t("table.asked")}</Th>
          <Th>{t("table.models")}</Th>
          <Th>{t("table.submitted")}</Th>
          <Th>{t("table.status")}</Th>
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
              <div className="max-w-56 truncate text-xs text-slate-500" title={r.justification}>
                {r.justification}
              </div>
            </Td>
            <Td>
              {r.requester.name}
              <div className="text-xs text-slate-500">{r.requester.email}</div>
            </Td>
            <Td>{r.team.name}</Td>
            <Td>{t(`kinds.${r.kind}`)}</Td>
            <Td className="whitespace-nowrap">
              <DurationText kind={r.kind} value={r.requested.duration} />
            </Td>
            <Td className="max-w-40 text-xs">{r.kind === "short-term" ? "—" : r.requested.models.length === 0 ? t("detail.anyModel") : r.requested.models.map(modelLabel).join(", ")}</Td>
            <Td>
              <Time value={r.createdAt} now={now} />
            </Td>
            <Td className="whitespace-nowrap">
              <RequestStatusBadge status={r.status} />
            </Td>
            <Td className="whitespace-nowrap text-right">
              <Link href={`/requests/${r.id}`} className="inline-flex h-8 items-center rounded-md border border-slate-300 px-3 text-sm font-medium text-slate-800 hover:bg-slate-50">
                {r.can.decide ? t("queue.review") : t("queue.open")}
                <span className="sr-only"> {r.label}</span>
              </Link>
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
