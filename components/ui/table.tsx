import type { HTMLAttributes, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cn } from "./cn";

/**
 * Plain table primitives with the console's styling. The wrapper scrolls horizontally on narrow
 * screens; give the table a caption (visible or sr-only) so it is announced with a name.
 * `regionLabel`: for tables without focusable cells, makes the scroll area keyboard-reachable
 * (a labelled, focusable region), so keyboard users can scroll it too (axe scrollable-region-focusable).
 */
export function Table({ className, children, regionLabel, ...props }: HTMLAttributes<HTMLTableElement> & { regionLabel?: string }) {
  return (
    <div
      // relative: absolutely positioned children (sr-only text) stay inside the scroll area instead
      // of widening the whole page.
      className="relative w-full overflow-x-auto focus-visible:outline-2 focus-visible:outline-brand-600"
      {...(regionLabel ? { role: "region", "aria-label": regionLabel, tabIndex: 0 } : {})}
    >
      <table className={cn("w-full border-collapse text-left text-sm", className)} {...props}>
        {children}
      </table>
    </div>
  );
}

export function TableCaption({ className, ...props }: HTMLAttributes<HTMLTableCaptionElement>) {
  return <caption className={cn("sr-only", className)} {...props} />;
}

export function THead({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) {
  return <thead className={cn("border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600", className)} {...props} />;
}

export function TBody({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody className={cn("divide-y divide-slate-100", className)} {...props} />;
}

export function Tr({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cn("align-top", className)} {...props} />;
}

export function Th({ className, scope = "col", ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope={scope} className={cn("px-3 py-2 font-semibold", className)} {...props} />;
}

export function Td({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cn("px-3 py-2 text-slate-800", className)} {...props} />;
}
