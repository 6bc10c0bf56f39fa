"use client";

import { flexRender, type Header } from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { Th } from "./table";

/** A TanStack Table column header; sortable columns get a button and aria-sort so the order is announced. */
export function SortableHeader<T>({ header, className }: { header: Header<T, unknown>; className?: string }) {
  const label = header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext());
  if (!header.column.getCanSort()) return <Th className={className}>{label}</Th>;
  const sorted = header.column.getIsSorted();
  const Icon = sorted === "asc" ? ArrowUp : sorted === "desc" ? ArrowDown : ArrowUpDown;
  return (
    <Th className={className} aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}>
      <button
        type="button"
        onClick={header.column.getToggleSortingHandler()}
        className="inline-flex items-center gap-1 rounded uppercase tracking-wide hover:text-slate-900"
      >
        {label}
        <Icon aria-hidden className="h-3 w-3" />
      </button>
    </Th>
  );
}
