"use client";

import Link from "next/link";
import { useState } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { acceptPostureRisk, fixPostureFinding } from "@/lib/posture/actions";
import type { FixKind } from "@/lib/posture/rules";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";

export interface FindingActionsProps {
  findingId: string;
  label: string;
  apiKeyId: string | null;
  /** The fixes this person may use on this finding (decided on the server by role and rule). */
  fixes: FixKind[];
  /** detachPolicy: the policies the finding names. */
  policies: string[];
  canAccept: boolean;
  /** YYYY-MM-DD: the accept form's default (30 days ahead) and bounds. */
  defaultUntil: string;
  minUntil: string;
}

/** One-click fixes (each confirmed first) and "accept the risk" for one finding. */
export function FindingActions({ findingId, label, apiKeyId, fixes, policies, canAccept, defaultUntil, minUntil }: FindingActionsProps) {
  const t = useTranslations("posture.fix");
  const run = async (fix: Exclude<FixKind, "keyPage">, policy?: string) => {
    const result = await fixPostureFinding({ findingId, fix, ...(policy ? { policy } : {}) });
    if (!result.ok) return result.error;
    toast.success(t("done"));
  };
  const confirmText = (fix: Exclude<FixKind, "keyPage">, policy?: string) =>
    fix === "disable" ? t("confirmDisable", { name: label }) : fix === "delete" ? t("confirmDelete", { name: label }) : fix === "deleteUser" ? t("confirmDeleteUser", { name: label }) : t("confirmDetachPolicy", { name: label, policy: policy ?? "" });

  const buttons: { key: string; fix: Exclude<FixKind, "keyPage">; policy?: string; text: string }[] = [];
  for (const fix of fixes) {
    if (fix === "keyPage") continue;
    if (fix === "detachPolicy") for (const p of policies) buttons.push({ key: `${fix}:${p}`, fix, policy: p, text: t("detachPolicy", { policy: p }) });
    else buttons.push({ key: fix, fix, text: t(fix) });
  }

  return (
    <div className="flex flex-wrap gap-2">
      {buttons.map((b) => (
        <ConfirmDialog
          key={b.key}
          title={t("confirmTitle", { fix: b.text })}
          description={confirmText(b.fix, b.policy)}
          confirmLabel={b.text}
          pendingLabel={t("pending")}
          tone={b.fix === "disable" ? "primary" : "danger"}
          errorLabel={t("error")}
          trigger={
            <Button size="sm" variant="secondary">
              {b.text}
            </Button>
          }
          onConfirm={() => run(b.fix, b.policy)}
        />
      ))}
      {fixes.includes("keyPage") && apiKeyId ? (
        <Link href={`/keys/${apiKeyId}`} className="inline-flex h-8 items-center rounded-md px-3 text-sm font-medium text-brand-700 hover:bg-slate-100">
          {t("keyPage")}
        </Link>
      ) : null}
      {canAccept ? <AcceptDialog findingId={findingId} defaultUntil={defaultUntil} minUntil={minUntil} /> : null}
    </div>
  );
}

function AcceptDialog({ findingId, defaultUntil, minUntil }: { findingId: string; defaultUntil: string; minUntil: string }) {
  const t = useTranslations("posture.accept");
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  async function submit(form: FormData) {
    setPending(true);
    setError(null);
    const result = await acceptPostureRisk({ findingId, reason: form.get("reason"), expiresOn: form.get("expiresOn") });
    setPending(false);
    if (!result.ok) {
      setError(result.error);
      setFieldErrors(result.fieldErrors ?? {});
      return;
    }
    setOpen(false);
    toast.success(t("done", { date: String(form.get("expiresOn")) }));
  }

  return (
    <Dialog
      title={t("title")}
      description={t("description")}
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button size="sm" variant="ghost">
          {t("button")}
        </Button>
      }
    >
      <form action={submit} className="space-y-4">
        <TextField name="reason" label={t("reason")} hint={t("reasonHint")} maxLength={500} error={fieldErrors.reason} />
        <TextField name="expiresOn" type="date" label={t("expiresOn")} defaultValue={defaultUntil} min={minUntil} required error={fieldErrors.expiresOn} />
        <div aria-live="polite">{error ? <Alert label={t("title")}>{error}</Alert> : null}</div>
        <DialogFooter>
          <Button type="submit" disabled={pending}>
            {pending ? t("pending") : t("submit")}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
