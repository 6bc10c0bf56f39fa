import { useTranslations } from "next-intl";
import { useTimeFormat } from "@/lib/time/use-time";
import { AlarmClock, CircleAlert, RefreshCw } from "lucide-react";
import type { KeyStatus } from "@/lib/aws/iam-mapping";
import { EXPIRING_SOON_DAYS } from "@/lib/keys/expiring";
import type { KeyListItem } from "@/lib/keys/queries";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";

// Small pieces shared by the inventory, the key page and the inspector. Hooks only (no async),
// so they render in server and client components alike.

const DAY_MS = 86_400_000;

export function KeyStatusBadge({ status }: { status: KeyStatus }) {
  const t = useTranslations("keys.status");
  const tone = status === "Active" ? "success" : status === "Expired" ? "danger" : "neutral";
  return <Badge tone={tone}>{t(status)}</Badge>;
}

export function ManagedBadge({ managed }: { managed: boolean }) {
  const t = useTranslations("keys.managed");
  return managed ? (
    <Badge tone="info" className="whitespace-nowrap">
      {t("managed")}
    </Badge>
  ) : (
    <Badge tone="warning" className="whitespace-nowrap">
      {t("unmanaged")}
    </Badge>
  );
}

/** Keys deleted outside the console ("gone") or through it ("deleted"); nothing for present keys. */
export function RemovedBadge({ state }: { state: string }) {
  const t = useTranslations("keys.state");
  if (state === "gone") return <Badge tone="danger" className="whitespace-nowrap">{t("gone")}</Badge>;
  if (state === "deleted") return <Badge tone="neutral" className="whitespace-nowrap">{t("deleted")}</Badge>;
  return null;
}

/**
 * A key in the middle of a rotation (issue 16): two secrets work during the overlap, or the new one
 * waits for its owner. The title says which, and until when; nothing for keys not being rotated.
 */
export function RotationBadge({ rotation }: { rotation: KeyListItem["rotation"] }) {
  const t = useTranslations("rotation");
  const f = useTimeFormat();
  if (!rotation) return null;
  const detail = rotation.graceEndsAt ? t("badgeOverlap", { endsAt: f.withZone(new Date(rotation.graceEndsAt)) }) : t("badgePickup");
  return (
    <span title={detail} data-rotation={rotation.state}>
      <Badge tone="info" className="inline-flex items-center gap-1 whitespace-nowrap">
        <RefreshCw aria-hidden className="h-3 w-3" />
        {t("badge")}
        <span className="sr-only">: {detail}</span>
      </Badge>
    </span>
  );
}

/**
 * "in 3 days" / "2 days ago" / "Never", with the date in a tooltip and <time>. Amber within the
 * expiring-soon window, red once expired; an icon and screen-reader text say it too, not colour alone.
 * `now` is the server's clock, so server and client render the same text. Short-term keys pass a
 * shorter `soonWithinMs`: every one of them expires within days.
 */
export function ExpiresText({ expiresAt, now, soonWithinMs = EXPIRING_SOON_DAYS * DAY_MS }: { expiresAt: string | null; now: Date; soonWithinMs?: number }) {
  const t = useTranslations("keys.expires");
  const f = useTimeFormat();
  if (!expiresAt) {
    return <span className="whitespace-nowrap text-slate-500">{t("never")}</span>;
  }
  const date = new Date(expiresAt);
  const left = date.getTime() - now.getTime();
  const expired = left <= 0;
  const soon = !expired && left <= soonWithinMs;
  const absolute = f.withZone(date);
  return (
    <time
      dateTime={expiresAt}
      title={`${absolute} (${f.timeZone}) · ${f.utc(date)}`}
      data-relative=""
      className={
        expired
          ? "inline-flex items-center gap-1 whitespace-nowrap font-medium text-red-700"
          : soon
            ? "inline-flex items-center gap-1 whitespace-nowrap font-medium text-amber-800"
            : "whitespace-nowrap text-slate-700"
      }
    >
      {expired ? <CircleAlert aria-hidden className="h-3.5 w-3.5" /> : soon ? <AlarmClock aria-hidden className="h-3.5 w-3.5" /> : null}
      {f.relative(date, now)}
      {expired ? <span className="sr-only"> ({t("expired")})</span> : soon ? <span className="sr-only"> ({t("soon")})</span> : null}
    </time>
  );
}

/** A past date as "3 days ago", with the exact time in a tooltip. */
export function RelativeTime({ value, now }: { value: string | null; now: Date }) {
  if (!value) return <span className="text-slate-500">—</span>;
  return <Time value={value} now={now} className="whitespace-nowrap" />;
}
