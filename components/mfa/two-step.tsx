"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Copy, Download } from "lucide-react";
import { confirmMfaEnrolment, disableMfa, regenerateMfaRecoveryCodes, startMfaEnrolment } from "@/lib/mfa/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/users/use-form-action";

/**
 * Two-step sign-in for one's own account: set up (QR code → a code from the app → recovery codes
 * shown once), and once on: new recovery codes, or turning it off (each needs a current code).
 * The secret and the recovery codes live only in this component's state: never in a URL, never
 * fetched again.
 */
export function TwoStepSetup({ continueHref }: { continueHref?: string }) {
  const t = useTranslations("mfa");
  const router = useRouter();
  const [enrolment, setEnrolment] = useState<{ qr: string; secret: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [starting, startTransition] = useTransition();
  const confirm = useFormAction(confirmMfaEnrolment, (data) => {
    setEnrolment(null);
    setCodes(data.recoveryCodes);
    toast.success(t("enabled"));
  });

  if (codes) {
    return (
      <div className="space-y-4">
        <Alert label={t("enabledLabel")} tone="success">
          {t("enabledIntro")}
        </Alert>
        <RecoveryCodes codes={codes} />
        <Button
          onClick={() => {
            setCodes(null);
            if (continueHref) router.push(continueHref);
            else router.refresh();
          }}
        >
          {t("savedContinue")}
        </Button>
      </div>
    );
  }
  if (!enrolment) {
    return (
      <div className="space-y-3">
        {startError ? <Alert label={t("errorLabel")}>{startError}</Alert> : null}
        <p className="text-sm text-slate-600">{t("setupIntro")}</p>
        <Button
          disabled={starting}
          onClick={() =>
            startTransition(async () => {
              const result = await startMfaEnrolment({});
              if (result.ok) {
                setStartError(null);
                setEnrolment({ qr: result.data.qr, secret: result.data.secret });
              } else setStartError(result.error);
            })
          }
        >
          {starting ? t("starting") : t("setUp")}
        </Button>
      </div>
    );
  }
  return (
    <div className="space-y-4">
      <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
        <li>{t("stepScan")}</li>
        <li>{t("stepCode")}</li>
      </ol>
      <div className="flex flex-wrap items-start gap-6">
        {/* A data: URL made on the server for this person only; nothing is fetched from elsewhere. */}
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img src={enrolment.qr} alt={t("qrAlt")} width={220} height={220} className="rounded border border-slate-200" />
        <div className="min-w-0 space-y-1 text-sm">
          <div className="font-medium text-slate-900">{t("manualLabel")}</div>
          <code data-testid="totp-secret" className="block break-all rounded bg-slate-100 px-2 py-1 font-mono text-slate-900">
            {enrolment.secret.match(/.{1,4}/g)?.join(" ")}
          </code>
          <p className="text-slate-500">{t("manualHint")}</p>
        </div>
      </div>
      <form onSubmit={confirm.onSubmit} noValidate className="max-w-sm space-y-3">
        {confirm.error && !confirm.fieldError("code") ? <Alert label={t("errorLabel")}>{confirm.error}</Alert> : null}
        <TextField label={t("code")} name="code" autoComplete="one-time-code" inputMode="numeric" required maxLength={64} error={confirm.fieldError("code")} />
        <Button type="submit" disabled={confirm.pending}>
          {confirm.pending ? t("checking") : t("confirm")}
        </Button>
      </form>
    </div>
  );
}

export function TwoStepManage({ enabledAt, recoveryCodesLeft, required }: { enabledAt: string; recoveryCodesLeft: number; required: boolean }) {
  const t = useTranslations("mfa");
  const router = useRouter();
  const [codes, setCodes] = useState<string[] | null>(null);
  const regenerate = useFormAction(regenerateMfaRecoveryCodes, (data) => setCodes(data.recoveryCodes));
  const disable = useFormAction(disableMfa, () => {
    toast.success(t("disabled"));
    router.refresh();
  });
  if (codes) {
    return (
      <div className="space-y-4">
        <Alert label={t("newCodesLabel")} tone="success">
          {t("newCodesIntro")}
        </Alert>
        <RecoveryCodes codes={codes} />
        <Button
          onClick={() => {
            setCodes(null);
            router.refresh();
          }}
        >
          {t("savedContinue")}
        </Button>
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-700">
        {t("onSince", { date: new Date(enabledAt).toLocaleDateString() })} {t("codesLeft", { count: recoveryCodesLeft })}
      </p>
      {recoveryCodesLeft <= 2 ? (
        <Alert label={t("fewCodesLabel")} tone="warning">
          {t("fewCodes")}
        </Alert>
      ) : null}
      <form onSubmit={regenerate.onSubmit} noValidate className="max-w-sm space-y-3" aria-labelledby="mfa-regenerate">
        <h3 id="mfa-regenerate" className="text-sm font-semibold text-slate-900">
          {t("regenerateTitle")}
        </h3>
        {regenerate.error && !regenerate.fieldError("code") ? <Alert label={t("errorLabel")}>{regenerate.error}</Alert> : null}
        <TextField label={t("codeFromApp")} name="code" autoComplete="one-time-code" inputMode="numeric" required maxLength={64} error={regenerate.fieldError("code")} />
        <Button type="submit" variant="secondary" disabled={regenerate.pending}>
          {t("regenerate")}
        </Button>
      </form>
      {required ? (
        <p className="text-sm text-slate-600">{t("requiredNoOff")}</p>
      ) : (
        <form onSubmit={disable.onSubmit} noValidate className="max-w-sm space-y-3" aria-labelledby="mfa-disable">
          <h3 id="mfa-disable" className="text-sm font-semibold text-slate-900">
            {t("disableTitle")}
          </h3>
          {disable.error && !disable.fieldError("code") ? <Alert label={t("errorLabel")}>{disable.error}</Alert> : null}
          <TextField label={t("codeOrRecovery")} name="code" autoComplete="one-time-code" required maxLength={64} error={disable.fieldError("code")} />
          <Button type="submit" variant="danger" disabled={disable.pending}>
            {t("disable")}
          </Button>
        </form>
      )}
    </div>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  const t = useTranslations("mfa");
  const text = codes.join("\n");
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700">{t("codesIntro")}</p>
      <ul aria-label={t("codesLabel")} className="grid max-w-md grid-cols-2 gap-2 rounded border border-slate-200 bg-slate-50 p-3 font-mono text-sm">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div className="flex gap-2">
        <Button
          variant="secondary"
          size="sm"
          onClick={() =>
            void navigator.clipboard.writeText(text).then(
              () => toast.success(t("copied")),
              () => toast.error(t("copyFailed")),
            )
          }
        >
          <Copy aria-hidden className="mr-1 h-4 w-4" />
          {t("copy")}
        </Button>
        <Button
          variant="secondary"
          size="sm"
          onClick={() => {
            const url = URL.createObjectURL(new Blob([`${text}\n`], { type: "text/plain" }));
            const a = document.createElement("a");
            a.href = url;
            a.download = "bedrock-key-console-recovery-codes.txt";
            a.click();
            URL.revokeObjectURL(url);
          }}
        >
          <Download aria-hidden className="mr-1 h-4 w-4" />
          {t("download")}
        </Button>
      </div>
    </div>
  );
}
