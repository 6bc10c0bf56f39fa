"use client";

import { useCallback, useEffect, useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { RefreshCw } from "lucide-react";
import { toast } from "sonner";
import { backfillUsage, syncUsageNow } from "@/lib/usage/actions";
import type { SyncStatus } from "@/lib/usage/sync-job";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";

const POLL_MS = 1000;

/**
 * Last sync, "Sync now" (and, for admins, a full 90-day re-read), and the progress of a running
 * sync, polled from /usage/sync. When a run finishes the page re-renders with the new data.
 */
export function SyncPanel({
  initial,
  syncedThrough,
  canSync,
  canResync,
  scheduleMinutes,
  regions,
  now,
  trailBucket = null,
}: {
  initial: SyncStatus | null;
  syncedThrough: string | null;
  canSync: boolean;
  canResync: boolean;
  scheduleMinutes: number;
  regions: readonly string[];
  now: string;
  /** The organisation trail read besides LookupEvents (issue 19), if any: admins may backfill from it. */
  trailBucket?: string | null;
}) {
  const t = useTranslations("usage.sync");
  const tCost = useTranslations("cost.sync");
  const format = useFormatter();
  const router = useRouter();
  const [status, setStatus] = useState(initial);
  const [pending, startTransition] = useTransition();
  const running = status?.status === "running";
  // Whether the last status this tab saw was a running sync (one started anywhere, e.g. the schedule).
  const sawRunning = useRef(running);
  // The run this tab started (or joined) with "Sync now", watched until it ends, however fast: an
  // incremental sync often finishes before the first poll, so "saw it running" is not enough.
  const watchedRun = useRef<number | null>(null);
  const [watching, setWatching] = useState(false);
  // What the last run brought, kept beside the button until the next press.
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  // Each status read: when a watched run (or one seen running) has ended, say what it brought and
  // re-render the page with the new data and "Last synced".
  const settle = useCallback(
    (next: SyncStatus | null) => {
      setStatus(next);
      const nextRunning = next?.status === "running";
      const watchedDone = watchedRun.current !== null && next?.runId === watchedRun.current && !nextRunning;
      if (next && !nextRunning && (watchedDone || sawRunning.current)) {
        if (next.status === "success") {
          const text = next.eventsInserted > 0 ? t("resultNew", { inserted: next.eventsInserted }) : t("resultNothing");
          setResult({ ok: true, text });
          toast.success(t("finished"), { description: text });
        } else {
          setResult({ ok: false, text: t("failed") });
          toast.error(t("failed"), { description: next.error ?? undefined });
        }
        watchedRun.current = null;
        setWatching(false);
        router.refresh();
      }
      sawRunning.current = nextRunning;
    },
    [router, t],
  );

  const poll = useCallback(async () => {
    const res = await fetch("/usage/sync", { cache: "no-store" });
    if (!res.ok) return;
    const body = (await res.json()) as { status: SyncStatus | null };
    settle(body.status);
  }, [settle]);

  useEffect(() => {
    if (!running && !watching) return;
    const timer = setInterval(() => void poll().catch(() => undefined), POLL_MS);
    return () => clearInterval(timer);
  }, [running, watching, poll]);

  const start = (full: boolean) =>
    startTransition(async () => {
      setResult(null);
      const outcome = await syncUsageNow({ full });
      if (!outcome.ok) {
        toast.error(outcome.error);
        return;
      }
      if (outcome.data.status === "running") toast.info(t("alreadyRunning"));
      if (outcome.data.runId !== null) {
        watchedRun.current = outcome.data.runId;
        setWatching(true);
      }
      await poll();
    });

  const [backfillFrom, setBackfillFrom] = useState("");
  const backfill = () =>
    startTransition(async () => {
      setResult(null);
      const outcome = await backfillUsage({ from: backfillFrom });
      if (!outcome.ok) {
        toast.error(outcome.fieldErrors?.from ?? outcome.error);
        return;
      }
      if (outcome.data.status === "running") toast.info(t("alreadyRunning"));
      else toast.success(t("backfillStarted", { from: backfillFrom }));
      if (outcome.data.runId !== null) {
        watchedRun.current = outcome.data.runId;
        setWatching(true);
      }
      await poll();
    });

  // The trail's entries (issue 19): days read of days to read, and what went wrong.
  const trailEntries = status?.regions.filter((r) => r.source === "s3") ?? [];
  const days = trailEntries.filter((r) => r.scope !== "bucket").reduce((acc, r) => ({ done: acc.done + (r.daysDone ?? 0), total: acc.total + (r.daysTotal ?? 0) }), { done: 0, total: 0 });
  const trailProblems = trailEntries.flatMap((r) => {
    const where = r.scope === "bucket" ? (r.accountName ?? "S3") : `${r.accountName ?? r.accountId ?? ""} ${r.region}`;
    const lines: string[] = [];
    if (r.error) lines.push(`${where}: ${r.error}`);
    if (r.badFiles) lines.push(t("badFiles", { where, count: r.badFiles }) + (r.fileErrors?.length ? ` — ${r.fileErrors.slice(0, 3).join("; ")}` : ""));
    if (r.unmanagedAccounts?.length) lines.push(t("unmanaged", { count: r.unmanagedAccounts.length, accounts: r.unmanagedAccounts.join(", ") }));
    return lines;
  });

  const queueMessages = trailEntries.reduce((n, r) => n + (r.queueMessages ?? 0), 0);
  // Invocation logs (issue 15): an account × region whose logs could not be read (group gone, access denied).
  const costProblems = (status?.regions ?? [])
    .filter((r) => r.source === "logs" && r.error)
    .map((r) => tCost("problem", { where: `${r.accountName ?? r.accountId ?? ""} ${r.region}`.trim(), error: r.error! }));

  const percent = Math.round((status?.progress ?? 0) * 100);
  const last = syncedThrough ? new Date(syncedThrough) : null;
  return (
    <Card className="mb-6 p-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="text-sm text-slate-700">
          <p>
            {last ? (
              <>
                {t("lastSynced")}{" "}
                <time dateTime={syncedThrough!} title={format.dateTime(last, { dateStyle: "medium", timeStyle: "medium" })}>
                  {format.relativeTime(last, new Date(now))}
                </time>
              </>
            ) : (
              t("never")
            )}
            {status && status.status !== "running" && status.status !== "success" ? (
              <span className="ml-2 font-medium text-red-700">{t(`status.${status.status === "partial" ? "partial" : "failed"}`)}</span>
            ) : null}
          </p>
          <p className="text-xs text-slate-500">
            {scheduleMinutes > 0 ? t("schedule", { minutes: scheduleMinutes }) : t("scheduleOff")} · {t("regions", { regions: regions.join(", ") })}
          </p>
        </div>
        {canSync ? (
          <div className="flex flex-wrap items-center gap-2">
            <p role="status" aria-label={t("resultLabel")} className={cn("text-sm", result?.ok === false ? "text-red-700" : "text-slate-700")}>
              {result?.text ?? ""}
            </p>
            {canResync ? (
              <Button variant="ghost" disabled={pending || running} onClick={() => start(true)} title={t("fullHint")}>
                {t("full")}
              </Button>
            ) : null}
            <Button variant="secondary" disabled={pending || running || watching} onClick={() => start(false)}>
              <RefreshCw aria-hidden className={cn("h-4 w-4", (pending || running || watching) && "animate-spin")} />
              {running || watching ? t("running") : t("button")}
            </Button>
          </div>
        ) : null}
      </div>
      {running && status ? (
        <div className="mt-3" aria-live="polite">
          <div
            role="progressbar"
            aria-label={t("progressLabel")}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-valuetext={t("progressText", { percent })}
            className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200"
          >
            <div className="h-full rounded-full bg-brand-600 transition-[width] duration-500" style={{ width: `${Math.max(2, percent)}%` }} />
          </div>
          <p className="mt-1.5 text-xs text-slate-600">
            {t("progressDetail", { percent, pages: status.pages, events: status.eventsRead, inserted: status.eventsInserted })}
            {" · "}
            {status.etaSeconds === null ? t("etaUnknown") : status.etaSeconds < 90 ? t("etaSeconds", { seconds: status.etaSeconds }) : t("etaMinutes", { minutes: Math.round(status.etaSeconds / 60) })}
            {status.throttled > 0 ? ` · ${t("throttled", { count: status.throttled })}` : ""}
            {days.total > 0 ? ` · ${t(status.backfillFrom ? "backfillDays" : "trailDays", { done: days.done, total: days.total, from: status.backfillFrom ?? "" })}` : ""}
          </p>
        </div>
      ) : null}
      <ProblemList label={t("trailProblems")} lines={trailProblems} />
      <ProblemList label={tCost("problems")} lines={costProblems} />
      {queueMessages > 0 && status?.status !== "running" ? <p className="mt-2 text-xs text-slate-500">{t("queueMessages", { count: queueMessages })}</p> : null}
      {canResync && trailBucket ? (
        <div className="mt-3 flex flex-wrap items-end gap-2 border-t border-slate-200 pt-3 text-sm">
          <label className="flex flex-col gap-1 text-xs text-slate-600">
            {t("backfillFrom", { bucket: trailBucket })}
            <input type="date" value={backfillFrom} onChange={(e) => setBackfillFrom(e.target.value)} className="h-9 rounded-md border border-slate-300 px-2 text-sm text-slate-900" />
          </label>
          <Button variant="ghost" disabled={pending || running || !backfillFrom} onClick={backfill} title={t("backfillHint")}>
            {t("backfill")}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

/** What went wrong in a run's sources (the trail's files, the invocation logs), one line each. */
function ProblemList({ label, lines }: { label: string; lines: string[] }) {
  if (lines.length === 0) return null;
  return (
    <ul aria-label={label} className="mt-3 space-y-1 text-xs text-amber-800">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}
