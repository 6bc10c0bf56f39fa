"use client";

import { cn } from "@/components/ui/cn";

/**
 * A row of radio buttons styled as chips (expiry presets, short-term durations). Real radio
 * inputs, visually hidden: arrow keys move between choices and the group has one tab stop.
 */
export function ChoiceChips({ name, choices, value, onChange }: { name: string; choices: { value: string; label: string }[]; value: string; onChange: (value: string) => void }) {
  return (
    <div className="flex flex-wrap gap-2">
      {choices.map((c) => (
        <label
          key={c.value}
          className={cn(
            "cursor-pointer rounded-md border px-3 py-1.5 text-sm font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-600",
            value === c.value ? "border-brand-600 bg-brand-50 text-brand-800" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50",
          )}
        >
          <input type="radio" name={name} value={c.value} checked={value === c.value} onChange={() => onChange(c.value)} className="sr-only" />
          {c.label}
        </label>
      ))}
    </div>
  );
}
