"use client";

import { type ComponentProps, useState } from "react";
import type { BulkOptions } from "@/lib/keys/bulk-loaders";
import { BulkBar } from "./bulk-bar";
import { KeysTable } from "./keys-table";

/**
 * The inventory table with bulk selection (issue 16): the selected ids live here, so they survive
 * paging; the page gives this a React key per filter set, so changing the filters starts afresh.
 */
export function KeysSelectable({ total, bulk, ...table }: Omit<ComponentProps<typeof KeysTable>, "selection"> & { total: number; bulk: BulkOptions }) {
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  return (
    <>
      <BulkBar selected={selected} onChange={setSelected} total={total} filters={table.filters} options={bulk} />
      <KeysTable {...table} selection={{ selected, onChange: setSelected }} />
    </>
  );
}
