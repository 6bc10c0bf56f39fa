"use client";

import { useMemo, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { KeyCost30Cell } from "@/components/cost/key-cost-cell";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type RowSelectionState, type SortingState } from "@tanstack/react-table";
import { nameKey, shortCredentialId } from "@/lib/keys/naming";
import type { KeyListItem } from "@/lib/keys/queries";
import type { KeyFilters } from "@/lib/keys/schemas";
import { cn } from "@/components/ui/cn";
import { SortableHeader } from "@/components/ui/sortable-header";
import { Table, TableCaption, TBody, Td, THead, Tr } from "@/components/ui/table";
import type { OwnerOption } from "./owner-team-fields";
import { ExpiresText, KeyStatusBadge, ManagedBadge, RelativeTime, RemovedBadge, RotationBadge } from "./key-badges";
import { type KeyAction, KeyActionDialogs } from "./key-action-dialogs";
import { hasKeyActions, KeyRowMenu } from "./key-row-menu";
import { keysHref, type KeyFilterValues } from "./keys-url";

// Dates sort newest first on the first click; names and people alphabetically.
const DESC_FIRST = new Set(["createdAt", "expiresAt", "lastUsedAt", "cost30d"]);

/**
 * What cells read at render time. Passed as table meta, not captured by the column definitions:
 * flexRender treats a cell function as a component type, so columns that changed on every server
 * refresh would re-create every row's cells.
 */
interface Meta {
  now: Date;
  isAdmin: boolean;
  openAction: (key: KeyListItem, action: KeyAction) => void;
}

const metaOf = (table: { options: { meta?: unknown } }) => table.options.meta as Meta;

/**
 * The inventory table. Sorting and paging happen on the server (the URL holds them), so TanStack
 * runs in manual mode: a header click navigates to the new order instead of sorting in memory.
 * The row actions' dialogs (and a reset's one-time reveal) are held here, once for the table.
 */
export function KeysTable({
  rows,
  filters,
  showLastUsed,
  isAdmin,
  owners,
  now,
  showAccount = false,
  selection,
}: {
  rows: KeyListItem[];
  filters: KeyFilterValues & Pick<KeyFilters, "sort" | "dir">;
  showLastUsed: boolean;
  isAdmin: boolean;
  owners: OwnerOption[] | null;
  now: Date;
  /** With keys in more than one AWS account: which account each key is in. */
  showAccount?: boolean;
  /** Bulk actions (issue 16): the selected key ids, kept by the parent across pages. Unset: no checkboxes. */
  selection?: { selected: ReadonlySet<string>; onChange: (next: Set<string>) => void };
}) {
  const t = useTranslations("keys.table");
  const tb = useTranslations("bulk");
  const tc = useTranslations("costViews.inventory");
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const sorting: SortingState = [{ id: filters.sort, desc: filters.dir === "desc" }];
  const anyActions = rows.some(hasKeyActions);
  const [target, setTarget] = useState<{ key: KeyListItem; action: KeyAction | null } | null>(null);
  const meta: Meta = { now, isAdmin, openAction: (key, action) => setTarget({ key, action }) };
  const selectable = selection !== undefined;
  // TanStack's row selection, for this page's rows, read from and written to the parent's id set
  // (which also holds keys on other pages, or every key matching the filters).
  const rowSelection: RowSelectionState = Object.fromEntries(rows.filter((r) => selection?.selected.has(r.id)).map((r) => [r.id, true]));

  // Names shared by more than one row (keys made outside the console): those rows show their id.
  const sameName = useMemo(() => {
    const seen = new Map<string, number>();
    for (const r of rows) seen.set(nameKey(r.name), (seen.get(nameKey(r.name)) ?? 0) + 1);
    return new Set([...seen].filter(([, n]) => n > 1).map(([k]) => k));
  }, [rows]);
  const columns = useMemo<ColumnDef<KeyListItem>[]>(() => {
    const cols: ColumnDef<KeyListItem>[] = [
      {
        id: "name",
        accessorFn: (k) => k.name,
        header: t("name"),
        cell: ({ row: { original: k } }) => (
          <div className="min-w-40">
            <Link href={`/keys/${k.id}`} className="font-medium text-brand-700 hover:underline">
              {k.name}
            </Link>
            {sameName.has(nameKey(k.name)) ? <p className="font-mono text-xs text-amber-800">{t("sameName", { id: shortCredentialId(k.credentialId) })}</p> : null}
            {k.purpose ? <p className="line-clamp-1 text-xs text-slate-600">{k.purpose}</p> : null}
            {k.state !== "present" ? (
              <div className="mt-1">
                <RemovedBadge state={k.state} />
              </div>
            ) : null}
            {k.rotation ? (
              <div className="mt-1">
                <RotationBadge rotation={k.rotation} />
              </div>
            ) : null}
          </div>
        ),
      },
      { id: "iamUserName", accessorFn: (k) => k.iamUserName, header: t("iamUser"), cell: ({ row }) => <span className="block min-w-28 max-w-40 font-mono text-xs text-slate-700 [overflow-wrap:anywhere]">{row.original.iamUserName}</span> },
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
      ...(showAccount
        ? [
            {
              id: "account",
              header: t("account"),
              enableSorting: false,
              cell: ({ row }: { row: { original: KeyListItem } }) =>
                row.original.account ? (
                  <div>
                    <div className="whitespace-nowrap">{row.original.account.name}</div>
                    <div className="font-mono text-xs text-slate-600">{row.original.account.id}</div>
                  </div>
                ) : (
                  <span className="text-slate-500">—</span>
                ),
            } satisfies ColumnDef<KeyListItem>,
          ]
        : []),
      { id: "status", accessorFn: (k) => k.status, header: t("status"), cell: ({ row }) => <KeyStatusBadge status={row.original.status} /> },
      { id: "createdAt", accessorFn: (k) => k.createdAt, header: t("created"), cell: ({ row, table }) => <RelativeTime value={row.original.createdAt} now={metaOf(table).now} /> },
      { id: "expiresAt", accessorFn: (k) => k.expiresAt, header: t("expires"), cell: ({ row, table }) => <ExpiresText expiresAt={row.original.expiresAt} now={metaOf(table).now} /> },
    ];
    if (showLastUsed) {
      cols.push({ id: "lastUsedAt", accessorFn: (k) => k.lastUsedAt, header: t("lastUsed"), cell: ({ row, table }) => <RelativeTime value={row.original.lastUsedAt} now={metaOf(table).now} /> });
    }
    // Issue 15: tokens' cost over the last 30 UTC days, from the invocation logs (sorted on the server).
    cols.push({ id: "cost30d", accessorFn: (k) => k.cost30d?.costUsd ?? 0, header: tc("column"), cell: ({ row }) => <KeyCost30Cell cost={row.original.cost30d} /> });
    cols.push({ id: "managed", header: t("managed"), enableSorting: false, cell: ({ row }) => <ManagedBadge managed={row.original.managed} /> });
    if (selectable) {
      cols.unshift({
        id: "select",
        enableSorting: false,
        header: ({ table }) => (
          <input
            type="checkbox"
            className="h-4 w-4"
            aria-label={tb("selectPage")}
            checked={table.getIsAllRowsSelected()}
            ref={(el) => {
              if (el) el.indeterminate = table.getIsSomeRowsSelected();
            }}
            onChange={table.getToggleAllRowsSelectedHandler()}
          />
        ),
        cell: ({ row }) => (
          <input type="checkbox" className="h-4 w-4" aria-label={tb("selectRow", { name: row.original.name })} checked={row.getIsSelected()} onChange={row.getToggleSelectedHandler()} />
        ),
      });
    }
    if (anyActions) {
      cols.push({
        id: "actions",
        header: () => <span className="sr-only">{t("actions")}</span>,
        enableSorting: false,
        cell: ({ row, table }) => {
          const m = metaOf(table);
          return hasKeyActions(row.original) ? <KeyRowMenu keyItem={row.original} isAdmin={m.isAdmin} onAction={(action) => m.openAction(row.original, action)} /> : null;
        },
      });
    }
    return cols;
  }, [t, tb, tc, showLastUsed, anyActions, sameName, showAccount, selectable]);

  // TanStack Table returns fresh functions each render, so the React Compiler skips this component;
  // it is the documented way to use the library.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (row) => row.id,
    getCoreRowModel: getCoreRowModel(),
    meta,
    manualSorting: true,
    enableSortingRemoval: false,
    enableMultiSort: false,
    sortDescFirst: false,
    state: { sorting, rowSelection },
    enableRowSelection: selectable,
    onRowSelectionChange: (updater) => {
      if (!selection) return;
      const next = typeof updater === "function" ? updater(rowSelection) : updater;
      const ids = new Set(selection.selected);
      for (const r of rows) {
        if (next[r.id]) ids.add(r.id);
        else ids.delete(r.id);
      }
      selection.onChange(ids);
    },
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
                <SortableHeader key={header.id} header={header} className={cn("whitespace-nowrap px-2 first:pl-4 last:pr-4", header.column.id === "actions" && "w-10 text-right", header.column.id === "select" && "w-8")} />
              ))}
            </Tr>
          ))}
        </THead>
        <TBody>
          {table.getRowModel().rows.map((row) => (
            <Tr key={row.id} className={row.original.state !== "present" ? "bg-slate-50" : undefined}>
              {row.getVisibleCells().map((cell) => (
                <Td key={cell.id} className={cn("px-2 first:pl-4 last:pr-4", cell.column.id === "actions" && "text-right")}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </Td>
              ))}
            </Tr>
          ))}
        </TBody>
      </Table>
      {target ? (
        <KeyActionDialogs
          key={target.key.id}
          // The current row when it is still listed (fresh status), else the one the action started from.
          keyItem={rows.find((r) => r.id === target.key.id) ?? target.key}
          action={target.action}
          onClose={() => setTarget((current) => current && { ...current, action: null })}
          owners={owners}
          returnFocus={() => document.querySelector<HTMLElement>(`[data-key-menu="${CSS.escape(target.key.id)}"]`)?.focus()}
        />
      ) : null}
    </div>
  );
}
