"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { checkAccountAction, setAccountStatusAction } from "@/lib/accounts/actions";
import type { AccountView } from "@/lib/accounts/service";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TBody, THead, Td, Th, Tr } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { EditAccountDialog } from "./edit-account-dialog";

export function AccountsTable({ accounts, teams, now }: { accounts: AccountView[]; teams: { id: string; name: string }[]; now: Date }) {
  const t = useTranslations("accounts");
  const te = useTranslations("errors");
  return (
    <Table regionLabel={t("sectionTitle")}>
      <THead>
        <Tr>
          <Th>{t("col.account")}</Th>
          <Th>{t("col.access")}</Th>
          <Th>{t("col.regions")}</Th>
          <Th>{t("col.keys")}</Th>
          <Th>{t("col.state")}</Th>
          <Th>
            <span className="sr-only">{t("col.actions")}</span>
          </Th>
        </Tr>
      </THead>
      <TBody>
        {accounts.length === 0 ? (
          <Tr>
            <Td colSpan={6} className="py-8 text-center text-slate-600">
              {t("empty")}
            </Td>
          </Tr>
        ) : null}
        {accounts.map((a) => (
          <Tr key={a.id}>
            <Td>
              <div className="font-medium text-slate-900">{a.name}</div>
              <div className="font-mono text-xs text-slate-600">{a.id}</div>
            </Td>
            <Td className="max-w-xs">
              {a.roleArn ? (
                <>
                  <div className="break-all font-mono text-xs">{a.roleArn}</div>
                  {a.externalIdHint ? <div className="text-xs text-slate-600">{t("externalIdSet", { hint: a.externalIdHint })}</div> : null}
                </>
              ) : (
                <span className="text-sm text-slate-700">{t("ownCredentials")}</span>
              )}
            </Td>
            <Td className="text-sm">
              {a.regions.join(", ")}
              {a.defaultRegions ? <span className="block text-xs text-slate-600">{t("defaultRegions")}</span> : null}
            </Td>
            <Td>
              <div className="tabular-nums">{a.keys}</div>
              <div className="text-xs text-slate-600">{a.teams.length ? t("teamsOnly", { teams: a.teams.map((x) => x.name).join(", ") }) : t("allTeams")}</div>
              {a.policy.maxKeyAgeDays !== null ? <div className="text-xs text-slate-600">{t("maxDaysHere", { days: a.policy.maxKeyAgeDays })}</div> : null}
              {a.policy.allowedModels !== null ? <div className="text-xs text-slate-600">{t("modelsHere", { count: a.policy.allowedModels.length })}</div> : null}
            </Td>
            <Td className="max-w-sm">
              <div className="flex flex-wrap gap-1">
                {a.status === "paused" ? <Badge tone="warning">{t("status.paused")}</Badge> : <Badge tone="success">{t("status.active")}</Badge>}
                {a.lastError ? <Badge tone="danger">{t("status.failing")}</Badge> : null}
              </div>
              {a.lastError ? (
                <p className="mt-1 text-xs text-red-800" role="note" aria-label={t("errorFor", { name: a.name })}>
                  {te(a.lastError.key, a.lastError.params)}
                </p>
              ) : null}
              {a.lastCheckedAt ? (
                <p className="mt-1 text-xs text-slate-600">
                  {t("lastChecked")} <Time value={a.lastCheckedAt} now={now} />
                </p>
              ) : null}
            </Td>
            <Td>
              <AccountActions account={a} teams={teams} />
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

function AccountActions({ account, teams }: { account: AccountView; teams: { id: string; name: string }[] }) {
  const t = useTranslations("accounts");
  const router = useRouter();
  const [pending, start] = useTransition();
  const check = () =>
    start(async () => {
      const result = await checkAccountAction({ accountId: account.id });
      if (result.ok) toast.success(t("checkOk", { name: account.name }));
      else toast.error(result.error);
      router.refresh();
    });
  const toggle = () =>
    start(async () => {
      const status = account.status === "paused" ? "active" : "paused";
      const result = await setAccountStatusAction({ accountId: account.id, status });
      if (result.ok) toast.success(status === "paused" ? t("pausedDone", { name: account.name }) : t("resumedDone", { name: account.name }));
      else toast.error(result.error);
      router.refresh();
    });
  return (
    <div className="flex flex-wrap justify-end gap-2">
      <EditAccountDialog account={account} teams={teams} />
      <Button variant="secondary" onClick={check} disabled={pending}>
        {t("check")}
        <span className="sr-only"> {account.name}</span>
      </Button>
      {account.source !== "default" ? (
        <Button variant="secondary" onClick={toggle} disabled={pending}>
          {account.status === "paused" ? t("resume") : t("pause")}
          <span className="sr-only"> {account.name}</span>
        </Button>
      ) : null}
    </div>
  );
}
