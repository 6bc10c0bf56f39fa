"use client";

import { useId, useState, type ReactNode } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { ChevronDown } from "lucide-react";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";

/**
 * Shared pieces of the usage charts. Series are told apart by colour AND texture (solid, stripes,
 * dots, hatching…), so they stay distinguishable for colour-blind readers and in grey print; every
 * chart has a title, a description and its numbers as a table.
 */

// Tailwind 600-ish tones with enough contrast against white for the thin pattern lines.
export const PALETTE = ["#2563eb", "#d97706", "#059669", "#7c3aed", "#dc2626", "#0891b2", "#db2777", "#4d7c0f", "#475569"] as const;
const TEXTURES = ["solid", "diagonal", "dots", "horizontal", "crosshatch", "vertical", "backdiagonal", "grid", "solid"] as const;

/** Shared look of the charts' axes, grid and legend. */
export const TICK = { fontSize: 11, fill: "#475569" } as const;
export const CATEGORY_TICK = { fontSize: 11, fill: "#334155" } as const;
export const GRID = { strokeDasharray: "3 3", stroke: "#e2e8f0" } as const;
export const LEGEND_STYLE = { fontSize: 12 } as const;
export const MARGIN = { top: 4, right: 8, bottom: 4, left: 0 } as const;
export const BAR_MARGIN = { top: 4, right: 12, bottom: 4, left: 4 } as const;

export function seriesColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

/** Fill for series `index`: a plain colour for the first, a textured one after that. */
export function seriesFill(prefix: string, index: number): string {
  return TEXTURES[index % TEXTURES.length] === "solid" ? seriesColor(index) : `url(#${prefix}-${index})`;
}

function texture(kind: (typeof TEXTURES)[number]): ReactNode {
  const line = { stroke: "#ffffff", strokeWidth: 1.5, strokeOpacity: 0.85 };
  switch (kind) {
    case "diagonal":
      return <path d="M-1,1 l2,-2 M0,8 l8,-8 M7,9 l2,-2" {...line} />;
    case "backdiagonal":
      return <path d="M-1,7 l2,2 M0,0 l8,8 M7,-1 l2,2" {...line} />;
    case "dots":
      return <circle cx="4" cy="4" r="1.6" fill="#ffffff" fillOpacity={0.85} />;
    case "horizontal":
      return <path d="M0,4 h8" {...line} />;
    case "vertical":
      return <path d="M4,0 v8" {...line} />;
    case "crosshatch":
      return <path d="M0,8 l8,-8 M0,0 l8,8" {...line} strokeWidth={1} />;
    case "grid":
      return <path d="M0,4 h8 M4,0 v8" {...line} strokeWidth={1} />;
    default:
      return null;
  }
}

/**
 * The textures, defined once per chart in a zero-size SVG (not display:none: browsers do not
 * paint patterns from an undisplayed SVG). Fills reference them as url(#prefix-index).
 */
export function PatternDefs({ prefix, count, colors }: { prefix: string; count: number; colors?: readonly string[] }) {
  return (
    <svg aria-hidden focusable="false" width="0" height="0" style={{ position: "absolute" }}>
      <defs>
        {Array.from({ length: count }, (_, i) => (
          <pattern key={i} id={`${prefix}-${i}`} patternUnits="userSpaceOnUse" width="8" height="8">
            <rect width="8" height="8" fill={colors?.[i] ?? seriesColor(i)} />
            {texture(TEXTURES[i % TEXTURES.length]!)}
          </pattern>
        ))}
      </defs>
    </svg>
  );
}

/** Legend labels in the text colour (the chart library would colour them like their series). */
export function legendText(value: string): ReactNode {
  return <span className="text-slate-700">{value}</span>;
}

/** An id usable inside url(#…) (React's useId contains colons). */
export function useSvgId(): string {
  return `c${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
}

/** "Nov 20" for a YYYY-MM-DD day, in UTC like the rest of the usage pages. */
export function useDayLabel() {
  const format = useFormatter();
  return (day: string) => format.dateTime(new Date(`${day}T00:00:00Z`), { month: "short", day: "numeric", timeZone: "UTC" });
}

/**
 * A chart with its title and description, and the same numbers as a table behind a disclosure:
 * screen-reader and keyboard users get the data without reading a picture.
 */
export function ChartCard({ title, description, table, children, className }: { title: string; description: string; table: ReactNode; children: ReactNode; className?: string }) {
  const t = useTranslations("usage.charts");
  const id = useId();
  const [open, setOpen] = useState(false);
  return (
    <Card className={cn("flex flex-col p-4", className)}>
      <section aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`} className="flex flex-1 flex-col">
        <h2 id={`${id}-title`} className="text-sm font-semibold text-slate-900">
          {title}
        </h2>
        <p id={`${id}-desc`} className="mt-0.5 text-xs text-slate-600">
          {description}
        </p>
        <div className="mt-3 flex-1">{children}</div>
        <details className="mt-2 text-sm" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
          <summary className="inline-flex cursor-pointer list-none items-center gap-1 rounded text-xs font-medium text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-600">
            <ChevronDown aria-hidden className={cn("h-3.5 w-3.5 transition-transform", open && "rotate-180")} />
            {open ? t("hideTable") : t("showTable")}
          </summary>
          {open ? <div className="mt-2 max-h-80 overflow-auto">{table}</div> : null}
        </details>
      </section>
    </Card>
  );
}

/** A compact data table for ChartCard. */
export function DataTable({ caption, head, rows }: { caption: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <table className="w-full border-collapse text-left text-xs">
      <caption className="sr-only">{caption}</caption>
      <thead className="bg-slate-50 text-slate-600">
        <tr>
          {head.map((h, i) => (
            <th key={i} scope="col" className={cn("px-2 py-1 font-semibold", i > 0 && "text-right")}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((c, j) =>
              j === 0 ? (
                <th key={j} scope="row" className="px-2 py-1 font-normal text-slate-800">
                  {c}
                </th>
              ) : (
                <td key={j} className="px-2 py-1 text-right tabular-nums text-slate-800">
                  {c}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
