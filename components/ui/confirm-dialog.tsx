"use client";

import { useState, useTransition, type ReactNode } from "react";
import { AlertDialog } from "radix-ui";
import { useTranslations } from "next-intl";
import { Alert } from "./alert";
import { Button } from "./button";

export interface ConfirmDialogProps {
  title: string;
  description: ReactNode;
  confirmLabel: string;
  /** Shown on the confirm button while onConfirm runs. */
  pendingLabel?: string;
  tone?: "danger" | "primary";
  /** Element that opens the dialog (rendered with asChild, so pass a button). Omit when controlled. */
  trigger?: ReactNode;
  /** Controlled mode (e.g. opened from a menu item): pass both. */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** Where focus goes when the dialog closes (default: the trigger). */
  onCloseAutoFocus?: (event: Event) => void;
  /** Extra content between the description and the buttons (e.g. a field to type a name). */
  children?: ReactNode;
  confirmDisabled?: boolean;
  /** Label of the error region if onConfirm reports an error. */
  errorLabel: string;
  /**
   * Runs on confirm. Return an error message to keep the dialog open and show it; return nothing
   * to close. Exceptions are not caught here: actions return their errors as values.
   */
  onConfirm: () => Promise<string | null | undefined | void>;
}

/** A confirmation step for destructive or session-ending operations (Radix AlertDialog). */
export function ConfirmDialog({
  title,
  description,
  confirmLabel,
  pendingLabel,
  tone = "danger",
  trigger,
  open: controlledOpen,
  onOpenChange,
  onCloseAutoFocus,
  children,
  confirmDisabled = false,
  errorLabel,
  onConfirm,
}: ConfirmDialogProps) {
  const t = useTranslations("common");
  const [uncontrolledOpen, setUncontrolledOpen] = useState(false);
  const open = controlledOpen ?? uncontrolledOpen;
  const setOpen = (next: boolean) => {
    setUncontrolledOpen(next);
    onOpenChange?.(next);
  };
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        if (!next) setError(null);
      }}
    >
      {trigger ? <AlertDialog.Trigger asChild>{trigger}</AlertDialog.Trigger> : null}
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <AlertDialog.Content onCloseAutoFocus={onCloseAutoFocus} className="fixed left-1/2 top-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl focus:outline-none">
          <AlertDialog.Title className="text-lg font-semibold text-slate-900">{title}</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 text-sm text-slate-600">{description}</AlertDialog.Description>
          {children}
          {error ? (
            <Alert label={errorLabel} className="mt-4">
              {error}
            </Alert>
          ) : null}
          <div className="mt-6 flex justify-end gap-2">
            <AlertDialog.Cancel asChild>
              <Button variant="secondary" disabled={pending}>
                {t("cancel")}
              </Button>
            </AlertDialog.Cancel>
            <Button
              variant={tone}
              disabled={pending || confirmDisabled}
              onClick={() =>
                startTransition(async () => {
                  const message = await onConfirm();
                  if (message) setError(message);
                  else {
                    setError(null);
                    setOpen(false);
                  }
                })
              }
            >
              {pending && pendingLabel ? pendingLabel : confirmLabel}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
