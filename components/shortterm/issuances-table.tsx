"use client";

import { useMemo } from "react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from "@tanstack/react-table";
import { SHORT_TERM_SOON_MS } from "@/lib/keys/expiring";
import type { IssuanceItem } from "@/lib/shortterm/queries";
import { ExpiresText, RelativeTime } from "@/components/keys/key-badges";
import { Badge } from "@/components/ui/badge";
import { Table, TableCaption, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { RevokeShortTermButton } from "./revoke-short-term-button";
import { shortTermHref } from "./short-term-url";

const STATE_TONE = { active: "success", expired: "neutral", revoked: "danger" } as const;

// The server's clock as table meta, not captured by the columns: flexRender treats a cell function
// as a component type, and columns re-made on every refresh would re-create every cell.
const nowOf = (table: { options: { meta?: unknown } }) => (table.options.meta as { now: Date }).now;

/** Short-term key issuances (never the tokens): who, region, access key, issued, expiry, state. */
export function IssuancesTable({ rows, showPerson, canRevoke, activeOnly, now }: { rows: IssuanceItem[]; showPerson: boolean; canRevoke: boolean; activeOnly: boolean; now: Date }) {
  const t = useTranslations("shortterm.list");
  const columns = useMemo<ColumnDef<IssuanceItem>[]>(() => {
    const cols: ColumnDef<IssuanceItem>[] = [];
    if (showPerson) {
      cols.push({
        id: "person",
        header: t("person"),
        cell: ({ row: { original: r } }) => (
          <div>
            <Link href={shortTermHref({ userId: r.user.id, activeOnly })} className="font-medium text-brand-700 hover:underline" aria-label={t("onlyPerson", { name: r.user.name })}>
              {r.user.name}
            </Link>
            <div className="text-xs text-slate-600">{r.user.email}</div>
          </div>
        ),
      });
    }
    cols.push(
      { id: "region", header: t("region"), cell: ({ row }) => row.original.region },
      { id: "accessKeyId", header: t("accessKeyId"), cell: ({ row }) => <span className="font-mono text-xs">{row.original.accessKeyId}</span> },
      { id: "issuedAt", header: t("issued"), cell: ({ row, table }) => <RelativeTime value={row.original.issuedAt} now={nowOf(table)} /> },
      {
        id: "expiresAt",
        header: t("expires"),
        cell: ({ row, table }) =>
          row.original.state === "active" ? <ExpiresText expiresAt={row.original.expiresAt} now={nowOf(table)} soonWithinMs={SHORT_TERM_SOON_MS} /> : <RelativeTime value={row.original.expiresAt} now={nowOf(table)} />,
      },
      { id: "state", header: t("state"), cell: ({ row }) => <Badge tone={STATE_TONE[row.original.state]}>{t(`states.${row.original.state}`)}</Badge> },
    );
    if (canRevoke) {
      cols.push({
        id: "actions",
        header: () => <span className="sr-only">{t("actions")}</span>,
        cell: ({ row }) => (row.original.state === "active" ? <RevokeShortTermButton person={row.original.user} size="sm" variant="secondary" /> : null),
      });
    }
    return cols;
  }, [t, showPerson, canRevoke, activeOnly]);

  // TanStack Table returns fresh functions each render, so the React Compiler skips this component;
  // it is the documented way to use the library.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data: rows, columns, meta: { now }, getRowId: (r) => r.id, getCoreRowModel: getCoreRowModel() });

  return (
    // A developer's own rows have no buttons: the scroll area itself must take keyboard focus.
    <Table className="min-w-[48rem]" regionLabel={t("caption")}>
      <TableCaption>{t("caption")}</TableCaption>
      <THead>
        {table.getHeaderGroups().map((group) => (
          <Tr key={group.id}>
            {group.headers.map((h) => (
              <Th key={h.id} className={h.column.id === "actions" ? "text-right" : "whitespace-nowrap"}>
                {h.isPlaceholder ? null : flexRender(h.column.columnDef.header, h.getContext())}
              </Th>
            ))}
          </Tr>
        ))}
      </THead>
      <TBody>
        {table.getRowModel().rows.map((row) => (
          <Tr key={row.id}>
            {row.getVisibleCells().map((cell) => (
              <Td key={cell.id} className={cell.column.id === "actions" ? "text-right" : undefined}>
                {flexRender(cell.column.columnDef.cell, cell.getContext())}
              </Td>
            ))}
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
