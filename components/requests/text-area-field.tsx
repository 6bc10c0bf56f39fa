import type { TextareaHTMLAttributes } from "react";
import { FieldShell } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";

/** A multi-line text field with the same label, hint and error wiring as TextField. */
export function TextAreaField({ label, error, hint, className, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; error?: string; hint?: string }) {
  return (
    <FieldShell label={label} error={error} hint={hint}>
      {({ id, describedBy, invalid }) => (
        <textarea
          id={id}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          rows={3}
          className={cn(
            "block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30",
            invalid ? "border-red-500" : "border-slate-300",
            className,
          )}
          {...props}
        />
      )}
    </FieldShell>
  );
}
