import { useTranslations } from "next-intl";
import type { RequestStatus } from "@/lib/requests/schemas";
import { Badge } from "@/components/ui/badge";

const TONES: Record<RequestStatus, "neutral" | "success" | "warning" | "danger" | "info"> = {
  pending: "warning",
  approved: "info",
  denied: "danger",
  picked_up: "success",
  expired: "neutral",
  cancelled: "neutral",
};

export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  const t = useTranslations("requests.status");
  return <Badge tone={TONES[status]}>{t(status)}</Badge>;
}

/** "30 days" / "45 minutes", as the request's kind counts. */
export function DurationText({ kind, value }: { kind: "long-term" | "short-term"; value: number }) {
  const t = useTranslations("requests.duration");
  return <>{kind === "long-term" ? t("days", { count: value }) : t("minutes", { count: value })}</>;
}
