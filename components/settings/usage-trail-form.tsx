"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { configureUsageTrail } from "@/lib/usage/actions";
import type { TrailSettings } from "@/lib/usage/trail-settings";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/users/use-form-action";

const SOURCES = ["lookup", "s3", "both"] as const;

/**
 * Where usage comes from (issue 19): the organisation trail's bucket, and per account LookupEvents,
 * the trail's files or both. Saved in the database and audited with the values before and after.
 */
export function UsageTrailForm({ settings }: { settings: TrailSettings }) {
  const t = useTranslations("usage.trail");
  const router = useRouter();
  const { onSubmit, pending, error, fieldError } = useFormAction(configureUsageTrail, (saved) => {
    toast.success(saved.enabled ? t("saved") : t("savedOff"));
    router.refresh();
  });
  const trail = settings.trail;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error ? <Alert label={t("errorLabel")}>{error}</Alert> : null}
      <input type="hidden" name="version" value={settings.version} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label={t("bucket")} name="bucket" defaultValue={trail?.bucket ?? ""} placeholder="org-cloudtrail-logs" hint={t("bucketHint")} error={fieldError("bucket")} autoComplete="off" spellCheck={false} />
        <TextField label={t("bucketRegion")} name="bucketRegion" defaultValue={trail?.bucketRegion ?? ""} placeholder="us-east-1" error={fieldError("bucketRegion")} autoComplete="off" spellCheck={false} />
        <TextField label={t("prefix")} name="prefix" defaultValue={trail?.prefix ?? ""} hint={t("prefixHint")} error={fieldError("prefix")} autoComplete="off" spellCheck={false} />
        <TextField label={t("orgId")} name="orgId" defaultValue={trail?.orgId ?? ""} placeholder="o-a1b2c3d4e5" hint={t("orgIdHint")} error={fieldError("orgId")} autoComplete="off" spellCheck={false} />
        <SelectField label={t("reader")} name="readerAccountId" defaultValue={trail?.readerAccountId ?? ""} hint={t("readerHint")} error={fieldError("readerAccountId")}>
          <option value="">{t("readerOwn")}</option>
          {settings.accounts
            .filter((a) => !a.isDefault)
            .map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.id})
              </option>
            ))}
        </SelectField>
        <TextField label={t("queueUrl")} name="queueUrl" type="url" defaultValue={trail?.queueUrl ?? ""} placeholder="https://sqs.us-east-1.amazonaws.com/123456789012/trail-files" hint={t("queueUrlHint")} error={fieldError("queueUrl")} autoComplete="off" />
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">{t("sources")}</legend>
        <p className="text-xs text-slate-500">{t("sourcesHint")}</p>
        {settings.accounts.length === 0 ? <p className="text-sm text-slate-600">{t("noAccounts")}</p> : null}
        <div className="grid gap-3 sm:grid-cols-2">
          {settings.accounts.map((a) => (
            <SelectField key={a.id} label={`${a.name} (${a.id})${a.isDefault ? ` · ${t("defaultAccount")}` : ""}`} name={`source_${a.id}`} defaultValue={a.source}>
              {SOURCES.map((s) => (
                <option key={s} value={s}>
                  {t(`source.${s}`)}
                </option>
              ))}
            </SelectField>
          ))}
        </div>
      </fieldset>
      <div className="flex justify-end border-t border-slate-200 pt-4">
        <Button type="submit" disabled={pending}>
          {pending ? t("saving") : t("save")}
        </Button>
      </div>
    </form>
  );
}
