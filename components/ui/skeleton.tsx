import { cn } from "./cn";

/** A grey placeholder block; decorative, so hidden from assistive technology. */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden className={cn("animate-pulse rounded bg-slate-200", className)} />;
}

/**
 * Placeholder shaped like a data table (header row + body rows), for loading.tsx files.
 * `label` is announced once (role=status) instead of the grey blocks.
 */
export function TableSkeleton({ columns, rows = 8, label, className }: { columns: number; rows?: number; label: string; className?: string }) {
  return (
    <div role="status" aria-label={label} className={cn("w-full overflow-hidden", className)}>
      <span className="sr-only">{label}</span>
      <div className="grid gap-4 border-b border-slate-200 bg-slate-50 px-3 py-3" style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}>
        {Array.from({ length: columns }, (_, i) => (
          <Skeleton key={i} className="h-3 w-2/3" />
        ))}
      </div>
      {Array.from({ length: rows }, (_, r) => (
        <div key={r} className="grid gap-4 border-b border-slate-100 px-3 py-3" style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}>
          {Array.from({ length: columns }, (_, c) => (
            <Skeleton key={c} className={cn("h-4", (r + c) % 3 === 0 ? "w-1/2" : "w-5/6")} />
          ))}
        </div>
      ))}
    </div>
  );
}

/** Placeholder shaped like `PageHeader` (title, description, an action button), for loading.tsx files. */
export function PageHeaderSkeleton({
  titleClassName = "w-48",
  descriptionClassName = "w-96",
  actionClassName = "w-32",
}: {
  titleClassName?: string;
  descriptionClassName?: string;
  actionClassName?: string;
}) {
  return (
    <div className="mb-6 flex items-start justify-between gap-4">
      <div className="space-y-2">
        <Skeleton className={cn("h-7", titleClassName)} />
        <Skeleton className={cn("h-4 max-w-full", descriptionClassName)} />
      </div>
      <Skeleton className={cn("h-10", actionClassName)} />
    </div>
  );
}
