import type { TimeStyle } from "@/lib/time/format";
import { useTimeFormat } from "@/lib/time/use-time";

/**
 * Every time on a page: in the viewer's zone with the zone named ("Dec 3, 2026, 9:04 PM UTC+9"),
 * or relative ("3 hours ago") when `now` is given; the hover title has the absolute time and
 * the same instant in UTC. Renders the same text on the server and in the browser.
 */
export function Time({
  value,
  now,
  style = "dateTime",
  className,
}: {
  value: Date | string;
  /** Show "… ago" against this instant (the server's, passed down, so both sides agree). */
  now?: Date | string | number;
  style?: TimeStyle;
  className?: string;
}) {
  const f = useTimeFormat();
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return <span className={className}>—</span>;
  const absolute = f.withZone(date, style);
  const utc = f.utc(date);
  return (
    <time
      dateTime={date.toISOString()}
      title={now !== undefined ? `${absolute} (${f.timeZone}) · ${utc}` : `${utc} · ${f.timeZone}`}
      data-relative={now !== undefined ? "" : undefined}
      className={className}
    >
      {now !== undefined ? f.relative(date, now) : absolute}
    </time>
  );
}
