"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Send } from "lucide-react";
import { toast } from "sonner";
import { configureMail, sendTestMail } from "@/lib/mail/actions";
import { TLS_MODES } from "@/lib/mail/schema";
import type { MailSettingsView } from "@/lib/mail/settings";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/users/use-form-action";

/** SMTP settings. The password is write-only: the page only knows whether one is set. */
export function MailForm({ settings }: { settings: MailSettingsView }) {
  const t = useTranslations("mail");
  const router = useRouter();
  const [testing, startTest] = useTransition();
  const { onSubmit, pending, error, fieldError } = useFormAction(configureMail, (saved) => {
    toast.success(saved.enabled ? t("saved") : t("savedOff"));
    router.refresh();
  });
  const sendTest = () =>
    startTest(async () => {
      const result = await sendTestMail({});
      if (result.ok) toast.success(t("testSent", { to: result.data.to }));
      else toast.error(result.error);
    });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error ? <Alert label={t("errorLabel")}>{error}</Alert> : null}
      <input type="hidden" name="version" value={settings.version} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label={t("host")} name="host" defaultValue={settings.host} placeholder="smtp.example.com" hint={t("hostHint")} error={fieldError("host")} autoComplete="off" />
        <TextField label={t("port")} name="port" inputMode="numeric" defaultValue={settings.port} error={fieldError("port")} />
        <SelectField label={t("tlsMode")} name="tlsMode" defaultValue={settings.tlsMode} error={fieldError("tlsMode")} hint={t("tlsHint")}>
          {TLS_MODES.map((m) => (
            <option key={m} value={m}>
              {t(`tls.${m}`)}
            </option>
          ))}
        </SelectField>
        <TextField label={t("from")} name="fromAddress" type="email" defaultValue={settings.fromAddress} placeholder="bedrock-keys@example.com" error={fieldError("fromAddress")} />
        <TextField label={t("username")} name="username" defaultValue={settings.username} autoComplete="off" error={fieldError("username")} />
        <TextField
          label={t("password")}
          name="password"
          type="password"
          autoComplete="new-password"
          placeholder={settings.hasPassword ? t("passwordSetPlaceholder") : ""}
          hint={t("passwordHint")}
          error={fieldError("password")}
        />
      </div>
      {settings.hasPassword ? (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="clearPassword" className="h-4 w-4" />
          {t("clearPassword")}
        </label>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-4">
        <Button variant="secondary" onClick={sendTest} disabled={testing || !settings.enabled}>
          <Send aria-hidden className="h-4 w-4" />
          {testing ? t("testing") : t("sendTest")}
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? t("saving") : t("save")}
        </Button>
      </div>
    </form>
  );
}
