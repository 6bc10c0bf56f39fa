"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { finishRotation, pickUpRotatedKey, removeOtherKeyCredential } from "@/lib/keys/actions";
import type { KeyReveal } from "@/lib/keys/issue";
import type { KeyHygiene } from "@/lib/keys/hygiene-loader";
import { useTimeFormat } from "@/lib/time/use-time";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { RotationReveal } from "./rotation-reveal";

/** Time left as "2 d 3 h", "4 h 10 min" or "5 min". */
function useTimeLeft() {
  const t = useTranslations("rotation");
  return (untilIso: string, now: number) => {
    const ms = Math.max(0, new Date(untilIso).getTime() - now);
    const minutes = Math.floor(ms / 60_000);
    const hours = Math.floor(minutes / 60);
    const days = Math.floor(hours / 24);
    if (days > 0) return t("leftDays", { days, hours: hours % 24 });
    if (hours > 0) return t("leftHours", { hours, minutes: minutes % 60 });
    return t("leftMinutes", { minutes });
  };
}

/**
 * The key's rotation state (issue 16): the overlap and its time left with "Finish rotation now",
 * or a new secret waiting for the owner (who picks it up here, once); and, for admins, the way out
 * when the key's IAM user already holds another credential.
 */
export function RotationPanel({ keyId, name, iamUserName, rotation, nowMs }: { keyId: string; name: string; iamUserName: string; rotation: KeyHygiene["rotation"]; nowMs: number }) {
  const t = useTranslations("rotation");
  const f = useTimeFormat();
  const left = useTimeLeft();
  const [reveal, setReveal] = useState<KeyReveal | null>(null);
  const [pickupError, setPickupError] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const { view, others } = rotation;

  return (
    <>
      {view?.state === "overlap" && view.graceEndsAt ? (
        <Alert label={t("label")} tone="info">
          <div className="flex flex-wrap items-start justify-between gap-3">
            <div className="space-y-1">
              <p data-testid="rotation-state">
                <strong>{t("label")}.</strong> {t("stateOverlap", { endsAt: f.withZone(view.graceEndsAt), left: left(view.graceEndsAt, nowMs) })}
              </p>
              <p className="text-xs">{t("usageNote")}</p>
              {view.attempts > 0 ? <p className="text-xs">{t("retrying", { attempts: view.attempts, error: view.lastError ?? "" })}</p> : null}
            </div>
            {rotation.canRotate ? (
              <ConfirmDialog
                trigger={<Button variant="secondary">{t("finishNow")}</Button>}
                title={t("finishTitle", { name })}
                description={t("finishDescription")}
                confirmLabel={t("finishConfirm")}
                pendingLabel={t("finishPending")}
                tone="danger"
                errorLabel={t("errorLabel")}
                onConfirm={async () => {
                  const result = await finishRotation({ keyId });
                  if (!result.ok) return result.error;
                  toast.success(t("finished"));
                }}
              />
            ) : null}
          </div>
        </Alert>
      ) : null}
      {view?.state === "pickup" && view.pickupExpiresAt ? (
        <Alert label={t("label")} tone={view.forViewer ? "warning" : "info"}>
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p data-testid="rotation-state">
              <strong>{t("label")}.</strong> {view.forViewer ? t("statePickupYou", { pickupBy: f.withZone(view.pickupExpiresAt) }) : t("statePickup", { pickupBy: f.withZone(view.pickupExpiresAt) })}
            </p>
            {view.forViewer ? (
              <Button
                disabled={picking}
                onClick={async () => {
                  setPicking(true);
                  setPickupError(null);
                  const result = await pickUpRotatedKey({ keyId });
                  setPicking(false);
                  if (!result.ok) setPickupError(result.error);
                  else if (result.data.state === "overlap") setReveal(result.data.reveal);
                }}
              >
                {picking ? t("pickingUp") : t("pickUp")}
              </Button>
            ) : null}
          </div>
          {pickupError ? <p className="mt-2 text-red-700">{pickupError}</p> : null}
        </Alert>
      ) : null}
      {!view && others.length > 0 ? (
        <Alert label={t("otherTitle")} tone="warning">
          <p className="font-medium">{t("otherTitle")}</p>
          {others.map((o) => (
            <div key={o.credentialId} className="mt-1 flex flex-wrap items-center justify-between gap-3">
              <p>{t("otherText", { user: iamUserName, credentialId: o.credentialId, status: o.status })}</p>
              <ConfirmDialog
                trigger={<Button variant="secondary" className="text-red-700">{t("otherDelete")}</Button>}
                title={t("otherDelete")}
                description={t("otherConfirm", { credentialId: o.credentialId, user: iamUserName })}
                confirmLabel={t("otherConfirmButton")}
                tone="danger"
                errorLabel={t("errorLabel")}
                onConfirm={async () => {
                  const result = await removeOtherKeyCredential({ keyId, credentialId: o.credentialId });
                  if (!result.ok) return result.error;
                  toast.success(t("otherDeleted"));
                }}
              />
            </div>
          ))}
        </Alert>
      ) : null}
      {reveal ? <RotationReveal reveal={reveal} onDone={() => setReveal(null)} /> : null}
    </>
  );
}
