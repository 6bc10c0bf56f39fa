"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { rotateKey } from "@/lib/keys/actions";
import type { KeyReveal } from "@/lib/keys/issue";
import { MAX_GRACE_HOURS } from "@/lib/keys/schemas";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/users/use-form-action";
import { RotationReveal } from "./rotation-reveal";

const PRESETS = [
  { hours: 1, label: "hours1" },
  { hours: 24, label: "hours24" },
  { hours: 168, label: "days7" },
  { hours: 720, label: "days30" },
] as const;

/** Start a rotation: the overlap, and who receives the new secret. Ends in the one-time reveal when it is for the viewer. */
export function RotateKeyDialog({
  keyId,
  name,
  ownerName,
  canRevealToSelf,
  onOpenChange,
}: {
  keyId: string;
  name: string;
  ownerName: string | null;
  canRevealToSelf: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const t = useTranslations("rotation");
  const tc = useTranslations("common");
  const [reveal, setReveal] = useState<KeyReveal | null>(null);
  const [grace, setGrace] = useState("24");
  const { onSubmit, pending, error, fieldError } = useFormAction(rotateKey, (data) => {
    if (data.state === "overlap") setReveal(data.reveal);
    else {
      toast.success(t("pickupSent"));
      onOpenChange(false);
    }
  });
  if (reveal) {
    return (
      <RotationReveal
        reveal={reveal}
        onDone={() => {
          setReveal(null);
          onOpenChange(false);
        }}
      />
    );
  }
  const choices = [...(canRevealToSelf ? (["me"] as const) : []), ...(ownerName ? (["owner"] as const) : [])];

  return (
    <Dialog open onOpenChange={onOpenChange} title={t("title", { name })} description={t("description")}>
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        {error ? <Alert label={t("errorLabel")}>{error}</Alert> : null}
        <input type="hidden" name="keyId" value={keyId} />
        <SelectField label={t("grace")} name={grace === "custom" ? undefined : "graceHours"} value={grace} onChange={(e) => setGrace(e.target.value)} hint={t("graceHint")} error={grace === "custom" ? undefined : fieldError("graceHours")}>
          {PRESETS.map((p) => (
            <option key={p.hours} value={String(p.hours)}>
              {t(p.label)}
            </option>
          ))}
          <option value="custom">{t("customHours")}</option>
        </SelectField>
        {grace === "custom" ? <TextField label={t("hours")} name="graceHours" type="number" min={1} max={MAX_GRACE_HOURS} defaultValue={48} required error={fieldError("graceHours")} /> : null}
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-700">{t("deliver")}</legend>
          {choices.map((c, i) => (
            <label key={c} className="flex items-center gap-2 text-sm">
              <input type="radio" name="deliver" value={c} defaultChecked={i === 0} />
              {c === "me" ? t("deliverMe") : t("deliverOwner", { owner: ownerName ?? "" })}
            </label>
          ))}
        </fieldset>
        <DialogFooter>
          <Button variant="secondary" onClick={() => onOpenChange(false)} disabled={pending}>
            {tc("cancel")}
          </Button>
          <Button type="submit" disabled={pending || choices.length === 0}>
            {pending ? t("pending") : t("confirm")}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
