"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Send } from "lucide-react";
import { toast } from "sonner";
import { configureWebhook, sendTestWebhook } from "@/lib/webhooks/actions";
import { WEBHOOK_SECRET_MAX, WEBHOOK_SECRET_MIN, WEBHOOK_URL_MAX } from "@/lib/webhooks/schema";
import type { WebhookSettings } from "@/lib/webhooks/settings";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from "@/lib/webhooks/headers";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/users/use-form-action";

/** The outgoing webhook: URL and signing secret. The secret is write-only: the page only knows whether one is set. */
export function WebhookForm({ settings }: { settings: WebhookSettings }) {
  const t = useTranslations("notifications.webhook");
  const router = useRouter();
  const [testing, startTest] = useTransition();
  const { onSubmit, pending, error, fieldError } = useFormAction(configureWebhook, (saved) => {
    toast.success(saved.enabled ? t("saved") : t("savedOff"));
    router.refresh();
  });
  const sendTest = () =>
    startTest(async () => {
      const result = await sendTestWebhook({});
      if (result.ok) toast.success(t("testQueued"));
      else toast.error(result.error);
      router.refresh();
    });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error ? <Alert label={t("errorLabel")}>{error}</Alert> : null}
      <input type="hidden" name="version" value={settings.version} />
      <TextField label={t("url")} name="url" type="url" inputMode="url" maxLength={WEBHOOK_URL_MAX} defaultValue={settings.url ?? ""} placeholder="https://chat.example.com/hooks/…" hint={t("urlHint")} error={fieldError("url")} autoComplete="off" />
      <TextField
        label={t("secret")}
        name="secret"
        type="password"
        autoComplete="new-password"
        minLength={WEBHOOK_SECRET_MIN}
        maxLength={WEBHOOK_SECRET_MAX}
        placeholder={settings.hasSecret ? t("secretSetPlaceholder") : ""}
        hint={t("secretHint", { min: WEBHOOK_SECRET_MIN, signature: SIGNATURE_HEADER, timestamp: TIMESTAMP_HEADER })}
        error={fieldError("secret")}
      />
      {settings.hasSecret ? (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="clearSecret" className="h-4 w-4" />
          {t("clearSecret")}
        </label>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-4">
        <Button variant="secondary" onClick={sendTest} disabled={testing || !settings.url}>
          <Send aria-hidden className="h-4 w-4" />
          {t("sendTest")}
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? t("saving") : t("save")}
        </Button>
      </div>
    </form>
  );
}
