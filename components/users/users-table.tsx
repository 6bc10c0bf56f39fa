"use client";

import { useMemo, useState } from "react";
import { useTranslations } from "next-intl";
import {
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type ColumnFiltersState,
  type SortingState,
} from "@tanstack/react-table";
import { ROLES } from "@/lib/auth/permissions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Table, TableCaption, TBody, Td, THead, Tr } from "@/components/ui/table";
import { SortableHeader } from "@/components/ui/sortable-header";
import { Time } from "@/components/ui/time";
import { EditUserDialog } from "./edit-user-dialog";
import { ResetPasswordDialog } from "./reset-password-dialog";
import { ResetMfaAction } from "@/components/mfa/reset-mfa-action";
import { UserStatusAction } from "./user-status-action";
import { type HeirOption, OffboardDialog } from "./offboard-dialog";
import type { LeftBehind } from "@/lib/users/offboard-loaders";
import type { TeamOption } from "./team-picker";

export interface UserListItem {
  id: string;
  name: string;
  email: string;
  role: string;
  active: boolean;
  lastSignInAt: Date | null;
  /** two-step sign-in (TOTP) on since */
  mfaEnabledAt: Date | null;
  memberships: { teamId: string; isLead: boolean; team: { name: string } }[];
}

export function UsersTable({
  users,
  teams,
  currentUserId,
  now,
  passwordMin,
  passwordMax,
  leftBehind = {},
  shortTermConfigured = false,
}: {
  users: UserListItem[];
  teams: TeamOption[];
  currentUserId: string;
  /** The server's clock, so relative times render the same on server and client. */
  now: Date;
  passwordMin: number;
  passwordMax: number;
  /** Per person: keys, open requests and short-term keys they would leave behind (offboarding). */
  leftBehind?: Record<string, LeftBehind>;
  shortTermConfigured?: boolean;
}) {
  const t = useTranslations();
  // Who can take over a leaver's keys: any active person (the server checks each key's team).
  const heirs = useMemo<HeirOption[]>(() => users.filter((u) => u.active).map(({ id, name, email }) => ({ id, name, email })), [users]);
  const [sorting, setSorting] = useState<SortingState>([{ id: "name", desc: false }]);
  const [columnFilters, setColumnFilters] = useState<ColumnFiltersState>([]);
  const [globalFilter, setGlobalFilter] = useState("");
  const [offboarding, setOffboarding] = useState<{ id: string; name: string; email: string } | null>(null);

  const columns = useMemo<ColumnDef<UserListItem>[]>(
    () => [
      {
        id: "name",
        accessorKey: "name",
        header: t("users.table.name"),
        cell: ({ row }) => (
          <span className="font-medium text-slate-900">
            {row.original.name}
            {row.original.id === currentUserId ? <span className="ml-1 text-xs font-normal text-slate-600">{t("users.table.you")}</span> : null}
          </span>
        ),
      },
      { id: "email", accessorKey: "email", header: t("users.table.email"), cell: ({ getValue }) => <span className="break-all">{getValue<string>()}</span> },
      {
        id: "role",
        accessorKey: "role",
        header: t("users.table.role"),
        filterFn: "equalsString",
        enableGlobalFilter: false,
        cell: ({ getValue }) => t(`roles.${getValue<string>()}` as "roles.admin"),
      },
      {
        id: "teams",
        header: t("users.table.teams"),
        enableSorting: false,
        enableGlobalFilter: false,
        cell: ({ row }) =>
          row.original.memberships.length === 0 ? (
            <span className="text-slate-500">—</span>
          ) : (
            <ul className="flex flex-wrap gap-1">
              {row.original.memberships.map((m) => (
                <li key={m.teamId}>
                  <Badge tone={m.isLead ? "info" : "neutral"}>{m.isLead ? t("users.table.teamLead", { team: m.team.name }) : m.team.name}</Badge>
                </li>
              ))}
            </ul>
          ),
      },
      {
        id: "status",
        accessorFn: (u) => (u.active ? "active" : "deactivated"),
        header: t("users.table.status"),
        filterFn: "equalsString",
        enableGlobalFilter: false,
        cell: ({ row }) => (
          <span className="flex flex-wrap gap-1">
            {row.original.active ? <Badge tone="success">{t("users.status.active")}</Badge> : <Badge>{t("users.status.deactivated")}</Badge>}
            {row.original.mfaEnabledAt ? <Badge>{t("mfa.badge")}</Badge> : null}
          </span>
        ),
      },
      {
        id: "lastSignIn",
        accessorFn: (u) => u.lastSignInAt ?? undefined,
        header: t("users.table.lastSignIn"),
        sortingFn: "datetime",
        sortUndefined: "last",
        enableGlobalFilter: false,
        cell: ({ row }) => {
          const at = row.original.lastSignInAt;
          return at ? (
            <Time value={at} now={now} />
          ) : (
            <span className="text-slate-500">{t("users.table.never")}</span>
          );
        },
      },
      {
        id: "actions",
        header: t("common.actions"),
        enableSorting: false,
        enableGlobalFilter: false,
        cell: ({ row }) => {
          const u = row.original;
          const isSelf = u.id === currentUserId;
          return (
            <div className="flex flex-wrap justify-end gap-1">
              <EditUserDialog user={u} teams={teams} isSelf={isSelf} />
              <ResetPasswordDialog user={u} passwordMin={passwordMin} passwordMax={passwordMax} />
              {u.mfaEnabledAt && !isSelf ? <ResetMfaAction user={u} /> : null}
              {/* Admins cannot deactivate themselves (the server refuses it too). */}
              {isSelf ? null : u.active ? (
                // Deactivation goes through offboarding, which always cancels open requests and offers the rest.
                <Button variant="ghost" size="sm" aria-label={t("offboarding.openFor", { name: u.name })} onClick={() => setOffboarding({ id: u.id, name: u.name, email: u.email })}>
                  {t("offboarding.open")}
                </Button>
              ) : (
                <UserStatusAction user={u} />
              )}
            </div>
          );
        },
      },
    ],
    [t, now, currentUserId, teams, passwordMin, passwordMax],
  );

  // TanStack Table returns fresh functions each render, so the React Compiler skips this component
  // (the rule warns about exactly that); it is the documented way to use the library.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: users,
    columns,
    state: { sorting, columnFilters, globalFilter },
    onSortingChange: setSorting,
    onColumnFiltersChange: setColumnFilters,
    onGlobalFilterChange: setGlobalFilter,
    globalFilterFn: "includesString",
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });

  const roleFilter = (table.getColumn("role")?.getFilterValue() as string | undefined) ?? "";
  const statusFilter = (table.getColumn("status")?.getFilterValue() as string | undefined) ?? "";
  const rows = table.getRowModel().rows;
  const filtered = globalFilter !== "" || roleFilter !== "" || statusFilter !== "";

  return (
    <div>
      <div className="flex flex-wrap items-end gap-3 border-b border-slate-200 p-4">
        <div className="min-w-56 flex-1">
          <TextField
            label={t("users.filters.search")}
            type="search"
            value={globalFilter}
            onChange={(e) => setGlobalFilter(e.target.value)}
            placeholder={t("users.filters.searchPlaceholder")}
            maxLength={254}
          />
        </div>
        <div className="w-44">
          <SelectField label={t("users.filters.role")} value={roleFilter} onChange={(e) => table.getColumn("role")?.setFilterValue(e.target.value || undefined)}>
            <option value="">{t("common.all")}</option>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`roles.${role}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="w-44">
          <SelectField label={t("users.filters.status")} value={statusFilter} onChange={(e) => table.getColumn("status")?.setFilterValue(e.target.value || undefined)}>
            <option value="">{t("common.all")}</option>
            <option value="active">{t("users.status.active")}</option>
            <option value="deactivated">{t("users.status.deactivated")}</option>
          </SelectField>
        </div>
        {filtered ? (
          <Button
            variant="ghost"
            onClick={() => {
              setGlobalFilter("");
              setColumnFilters([]);
            }}
          >
            {t("common.clearFilters")}
          </Button>
        ) : null}
      </div>
      <p aria-live="polite" className="px-4 pt-3 text-xs text-slate-600">
        {t("users.table.count", { shown: rows.length, total: users.length })}
      </p>
      <Table>
        <TableCaption>{t("users.table.caption")}</TableCaption>
        <THead>
          {table.getHeaderGroups().map((group) => (
            <Tr key={group.id}>
              {group.headers.map((header) => (
                <SortableHeader key={header.id} header={header} className={header.column.id === "actions" ? "text-right" : undefined} />
              ))}
            </Tr>
          ))}
        </THead>
        <TBody>
          {rows.map((row) => (
            <Tr key={row.id} className={row.original.active ? undefined : "bg-slate-50"}>
              {row.getVisibleCells().map((cell) => (
                <Td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</Td>
              ))}
            </Tr>
          ))}
        </TBody>
      </Table>
      {rows.length === 0 ? (
        <p className="px-4 py-8 text-center text-sm text-slate-600">{users.length === 0 ? t("users.table.empty") : t("users.table.noMatch")}</p>
      ) : null}
      {offboarding ? (
        <OffboardDialog
          key={offboarding.id}
          user={offboarding}
          leftBehind={leftBehind[offboarding.id] ?? { keys: 0, requests: 0, shortTermKeys: 0 }}
          heirs={heirs}
          shortTermConfigured={shortTermConfigured}
          onClose={() => setOffboarding(null)}
        />
      ) : null}
    </div>
  );
}
