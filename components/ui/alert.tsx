import type { ReactNode } from "react";
import { cn } from "./cn";

/**
 * An error or notice region. Always give it a `label`: Next's route announcer also has
 * role="alert", so tests and screen readers find ours by its accessible name.
 */
export function Alert({
  label,
  tone = "error",
  children,
  className,
}: {
  label: string;
  tone?: "error" | "info" | "success" | "warning";
  children: ReactNode;
  className?: string;
}) {
  const tones = {
    error: "border-red-200 bg-red-50 text-red-800",
    info: "border-sky-200 bg-sky-50 text-sky-900",
    success: "border-emerald-200 bg-emerald-50 text-emerald-900",
    warning: "border-amber-200 bg-amber-50 text-amber-900",
  } as const;
  return (
    <div role={tone === "error" ? "alert" : "status"} aria-label={label} className={cn("rounded-md border px-3 py-2 text-sm", tones[tone], className)}>
      {children}
    </div>
  );
}
