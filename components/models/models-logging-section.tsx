"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { checkLoggingAction, enableLoggingAction } from "@/lib/invocation-logging/actions";
import type { LoggingState, LoggingStatusView } from "@/lib/invocation-logging/service";
import { refreshModelsAction } from "@/lib/models/actions";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TBody, THead, Td, Th, Tr } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

export interface RegionRow {
  accountId: string;
  accountName: string;
  region: string;
  logging: Omit<LoggingStatusView, "accountId" | "region"> | null;
  models: { okAt: Date | null; readAt: Date; models: number; profiles: number; errorCode: string | null } | null;
}

const TONE: Record<LoggingState, "success" | "neutral" | "warning" | "danger"> = { on: "success", off: "neutral", s3_only: "warning", error: "danger" };

/**
 * Per account × region: whether Bedrock's model invocation logging is on and where it goes, and
 * the models read from AWS there. Admins switch logging on (CloudWatch Logs, metadata only) and
 * re-read either on demand.
 */
export function ModelsLoggingSection({ rows, now }: { rows: RegionRow[]; now: Date }) {
  const t = useTranslations("invocationLogging");
  const tm = useTranslations("models");
  const router = useRouter();
  const [pending, start] = useTransition();
  const run = (action: () => Promise<{ ok: boolean; error?: string }>, done: string) =>
    start(async () => {
      const result = await action();
      if (result.ok) toast.success(done);
      else toast.error(result.error);
      router.refresh();
    });
  // A read that reached only some regions (or none) says so instead of "done".
  const refresh = () =>
    start(async () => {
      const result = await refreshModelsAction({});
      if (!result.ok) toast.error(result.error);
      else if (result.data.status === "busy") toast.info(tm("busy"));
      else if (result.data.failed > 0) toast.error(tm("refreshFailed", { failed: result.data.failed, regions: result.data.regions }));
      else toast.success(tm("refreshed"));
      router.refresh();
    });
  return (
    <div className="space-y-3 p-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="logging-heading" className="text-base font-semibold text-slate-900">
            {t("title")}
          </h2>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">{t("intro")}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" disabled={pending} onClick={() => run(() => checkLoggingAction({}), t("checked"))}>
            {t("checkAll")}
          </Button>
          <Button variant="secondary" disabled={pending} onClick={refresh}>
            {tm("refresh")}
          </Button>
        </div>
      </div>
      <Table regionLabel={t("tableLabel")}>
        <THead>
          <Tr>
            <Th>{t("col.where")}</Th>
            <Th>{t("col.logging")}</Th>
            <Th>{t("col.destination")}</Th>
            <Th>{tm("col.models")}</Th>
            <Th>
              <span className="sr-only">{t("col.actions")}</span>
            </Th>
          </Tr>
        </THead>
        <TBody>
          {rows.map((r) => (
            <Tr key={`${r.accountId}/${r.region}`}>
              <Td>
                <div className="font-medium text-slate-900">{r.region}</div>
                <div className="text-xs text-slate-600">
                  {r.accountName} <span className="font-mono">{r.accountId}</span>
                </div>
              </Td>
              <Td className="max-w-xs">
                {r.logging ? (
                  <>
                    <Badge tone={TONE[r.logging.state]}>{t(`state.${r.logging.state}`)}</Badge>
                    {r.logging.errorCode ? <p className="mt-1 text-xs text-red-800">{t("errorCode", { code: r.logging.errorCode })}</p> : null}
                    <p className="mt-1 text-xs text-slate-600">
                      {t("checkedAt")} <Time value={r.logging.checkedAt} now={now} />
                    </p>
                  </>
                ) : (
                  <span className="text-sm text-slate-600">{t("notChecked")}</span>
                )}
              </Td>
              <Td className="max-w-sm text-xs">
                {r.logging && r.logging.state !== "error" ? <Destination logging={r.logging} /> : "—"}
              </Td>
              <Td className="text-xs">
                {r.models?.okAt ? (
                  <>
                    <div>{tm("counts", { models: r.models.models, profiles: r.models.profiles })}</div>
                    <div className="text-slate-600">
                      {tm("readAt")} <Time value={r.models.okAt} now={now} />
                    </div>
                  </>
                ) : (
                  <div className="text-slate-600">{tm("fallback")}</div>
                )}
                {r.models?.errorCode ? <p className="mt-1 text-red-800">{tm("readFailed", { code: r.models.errorCode })}</p> : null}
              </Td>
              <Td>{r.logging?.state === "on" ? null : <EnableButton row={r} />}</Td>
            </Tr>
          ))}
        </TBody>
      </Table>
    </div>
  );
}

function Destination({ logging }: { logging: NonNullable<RegionRow["logging"]> }) {
  const t = useTranslations("invocationLogging");
  return (
    <div>
      <dl className="space-y-0.5">
        {(
          [
            ["logGroup", logging.logGroupName],
            ["role", logging.roleArn],
            ["s3", logging.s3BucketName],
          ] as const
        ).map(([term, value]) =>
          value ? (
            <div key={term}>
              <dt className="inline text-slate-600">{t(term)} </dt>
              <dd className="inline break-all font-mono">{value}</dd>
            </div>
          ) : null,
        )}
      </dl>
      {logging.state === "off" ? <p className="text-slate-600">{t("nowhere")}</p> : null}
      {logging.textDelivery || logging.imageDelivery || logging.embeddingDelivery ? (
        <Alert tone="warning" label={t("bodiesLabel")} className="mt-1">
          {t("bodiesWarning")}
        </Alert>
      ) : null}
    </div>
  );
}

function EnableButton({ row }: { row: RegionRow }) {
  const t = useTranslations("invocationLogging");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const s3Only = row.logging?.state === "s3_only";
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={setOpen}
      tone="primary"
      title={t("enableTitle", { region: row.region })}
      description={s3Only ? t("enableS3Only", { bucket: row.logging?.s3BucketName ?? "" }) : t("enableDescription", { account: row.accountName, region: row.region })}
      confirmLabel={s3Only ? t("enableKeepS3") : t("enable")}
      pendingLabel={t("enabling")}
      errorLabel={t("enableFailed")}
      trigger={
        <Button size="sm">
          {t("enable")}
          <span className="sr-only"> {t("enableWhere", { account: row.accountName, region: row.region })}</span>
        </Button>
      }
      onConfirm={async () => {
        const result = await enableLoggingAction({ accountId: row.accountId, region: row.region, keepS3: s3Only });
        if (!result.ok) return result.error;
        toast.success(t("enabled", { region: row.region }));
        router.refresh();
      }}
    />
  );
}
