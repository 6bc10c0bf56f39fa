"use client";

import { useMemo, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type SortingState } from "@tanstack/react-table";
import type { KeyListItem } from "@/lib/keys/queries";
import type { KeyFilters } from "@/lib/keys/schemas";
import { cn } from "@/components/ui/cn";
import { SortableHeader } from "@/components/ui/sortable-header";
import { Table, TableCaption, TBody, Td, THead, Tr } from "@/components/ui/table";
import type { OwnerOption } from "./adopt-key-dialog";
import { ExpiresText, KeyStatusBadge, ManagedBadge, RelativeTime, RemovedBadge } from "./key-badges";
import { hasKeyActions, KeyRowMenu } from "./key-row-menu";
import { keysHref, type KeyFilterValues } from "./keys-url";

// Dates sort newest first on the first click; names and people alphabetically.
const DESC_FIRST = new Set(["createdAt", "expiresAt", "lastUsedAt"]);

/**
 * The inventory table. Sorting and paging happen on the server (the URL holds them), so TanStack
 * runs in manual mode: a header click navigates to the new order instead of sorting in memory.
 */
export function KeysTable({
  rows,
  filters,
  showLastUsed,
  isAdmin,
  owners,
  now,
}: {
  rows: KeyListItem[];
  filters: KeyFilterValues & Pick<KeyFilters, "sort" | "dir">;
  showLastUsed: boolean;
  isAdmin: boolean;
  owners: OwnerOption[] | null;
  now: Date;
}) {
  const t = useTranslations("keys.table");
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const sorting: SortingState = [{ id: filters.sort, desc: filters.dir === "desc" }];
  const anyActions = rows.some(hasKeyActions);

  const columns = useMemo<ColumnDef<KeyListItem>[]>(() => {
    const cols: ColumnDef<KeyListItem>[] = [
      {
        id: "name",
        accessorFn: (k) => k.name,
        header: t("name"),
        cell: ({ row: { original: k } }) => (
          <div className="min-w-44">
            <Link href={`/keys/${k.id}`} className="font-medium text-brand-700 hover:underline">
              {k.name}
            </Link>
            {k.purpose ? <p className="line-clamp-1 text-xs text-slate-600">{k.purpose}</p> : null}
            {k.state !== "present" ? (
              <div className="mt-1">
                <RemovedBadge state={k.state} />
              </div>
            ) : null}
          </div>
        ),
      },
      { id: "iamUserName", accessorFn: (k) => k.iamUserName, header: t("iamUser"), cell: ({ row }) => <span className="break-all font-mono text-xs text-slate-700">{row.original.iamUserName}</span> },
      {
        id: "owner",
        accessorFn: (k) => k.owner?.name ?? "",
        header: t("owner"),
        cell: ({ row: { original: k } }) =>
          k.owner ? (
            <div>
              <div className="whitespace-nowrap">{k.owner.name}</div>
              <div className="text-xs text-slate-600">{k.owner.email}</div>
            </div>
          ) : (
            <span className="text-slate-500">{t("noOwner")}</span>
          ),
      },
      { id: "team", accessorFn: (k) => k.team?.name ?? "", header: t("team"), cell: ({ row }) => row.original.team?.name ?? <span className="text-slate-500">—</span> },
      { id: "status", accessorFn: (k) => k.status, header: t("status"), cell: ({ row }) => <KeyStatusBadge status={row.original.status} /> },
      { id: "createdAt", accessorFn: (k) => k.createdAt, header: t("created"), cell: ({ row }) => <RelativeTime value={row.original.createdAt} now={now} /> },
      { id: "expiresAt", accessorFn: (k) => k.expiresAt, header: t("expires"), cell: ({ row }) => <ExpiresText expiresAt={row.original.expiresAt} now={now} /> },
    ];
    if (showLastUsed) {
      cols.push({ id: "lastUsedAt", accessorFn: (k) => k.lastUsedAt, header: t("lastUsed"), cell: ({ row }) => <RelativeTime value={row.original.lastUsedAt} now={now} /> });
    }
    cols.push({ id: "managed", header: t("managed"), enableSorting: false, cell: ({ row }) => <ManagedBadge managed={row.original.managed} /> });
    if (anyActions) {
      cols.push({
        id: "actions",
        header: () => <span className="sr-only">{t("actions")}</span>,
        enableSorting: false,
        cell: ({ row }) => (hasKeyActions(row.original) ? <KeyRowMenu keyItem={row.original} isAdmin={isAdmin} owners={owners} /> : null),
      });
    }
    return cols;
  }, [t, now, showLastUsed, anyActions, isAdmin, owners]);

  // TanStack Table returns fresh functions each render, so the React Compiler skips this component;
  // it is the documented way to use the library.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (row) => row.id,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    enableSortingRemoval: false,
    enableMultiSort: false,
    sortDescFirst: false,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      if (!first) return;
      // A new column starts in its natural direction; the same column flips.
      const desc = first.id === filters.sort ? first.desc : DESC_FIRST.has(first.id);
      startTransition(() => router.push(keysHref(filters, { sort: first.id, dir: desc ? "desc" : "asc", page: 1 })));
    },
  });

  return (
    <div aria-busy={pending || undefined} className={cn("transition-opacity", pending && "opacity-60")}>
      <Table className="min-w-[60rem]">
        <TableCaption>{t("caption")}</TableCaption>
        <THead>
          {table.getHeaderGroups().map((group) => (
            <Tr key={group.id}>
              {group.headers.map((header) => (
                <SortableHeader key={header.id} header={header} className={cn("whitespace-nowrap", header.column.id === "actions" && "w-12 text-right")} />
              ))}
            </Tr>
          ))}
        </THead>
        <TBody>
          {table.getRowModel().rows.map((row) => (
            <Tr key={row.id} className={row.original.state !== "present" ? "bg-slate-50" : undefined}>
              {row.getVisibleCells().map((cell) => (
                <Td key={cell.id} className={cell.column.id === "actions" ? "text-right" : undefined}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </Td>
              ))}
            </Tr>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
