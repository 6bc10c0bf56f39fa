"use client";

import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { Check, Copy } from "lucide-react";
import { Button, type ButtonProps } from "@/components/ui/button";

/**
 * Copies `text` to the clipboard and says so on the button itself (and to screen readers), never
 * in a toast: the copied text may be a secret, and toasts are for things that may be seen later.
 */
export function CopyButton({ text, label, copiedLabel, onFailed, ...props }: Omit<ButtonProps, "onClick"> & { text: string; label: string; copiedLabel?: string; onFailed?: () => void }) {
  const t = useTranslations("keys.reveal");
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  return (
    <>
      <Button
        variant="secondary"
        size="sm"
        {...props}
        onClick={async () => {
          clearTimeout(timer.current);
          try {
            await navigator.clipboard.writeText(text);
            setState("copied");
          } catch {
            setState("failed");
            onFailed?.();
          }
          timer.current = setTimeout(() => setState("idle"), 2500);
        }}
      >
        {state === "copied" ? <Check aria-hidden className="h-4 w-4 text-emerald-700" /> : <Copy aria-hidden className="h-4 w-4" />}
        {state === "copied" ? (copiedLabel ?? t("copied")) : label}
      </Button>
      <span role="status" className={state === "failed" ? "text-xs text-red-700" : "sr-only"}>
        {state === "copied" ? (copiedLabel ?? t("copied")) : state === "failed" ? t("copyFailed") : ""}
      </span>
    </>
  );
}
