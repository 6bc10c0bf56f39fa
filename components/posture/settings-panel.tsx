"use client";

import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { previewRemediation, runRemediationNow, updatePostureSettings } from "@/lib/posture/actions";
import type { PostureSettings } from "@/lib/posture/settings";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";

type Planned = { kind: "disableKey" | "deleteUser"; label: string; iamUserName: string };

/** Admins: the unused threshold, short-term-only teams, and the opt-in remediation with its dry run. */
export function SettingsPanel({ settings, teams }: { settings: PostureSettings; teams: { id: string; name: string }[] }) {
  const t = useTranslations("posture.settings");
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [planned, setPlanned] = useState<Planned[] | null>(null);

  const rulesOf = (form: HTMLFormElement) => {
    const data = new FormData(form);
    return { disableUnused: data.get("autoDisableUnused") === "on", deleteOrphans: data.get("autoDeleteOrphans") === "on", orphanGraceDays: Number(data.get("orphanGraceDays")) };
  };

  return (
    <Card className="p-4">
      <h2 className="text-base font-semibold text-slate-900">{t("title")}</h2>
      <p className="mb-4 text-sm text-slate-600">{t("description")}</p>
      <form
        aria-label={t("title")}
        className="space-y-4"
        action={(form) =>
          startTransition(async () => {
            setError(null);
            const result = await updatePostureSettings(form);
            if (!result.ok) {
              setError(result.error);
              setFieldErrors(result.fieldErrors ?? {});
              return;
            }
            setFieldErrors({});
            toast.success(t("saved"));
          })
        }
      >
        <input type="hidden" name="version" value={settings.version} />
        <TextField name="unusedDays" type="number" min={7} max={730} label={t("unusedDays")} defaultValue={settings.unusedDays} error={fieldErrors.unusedDays} />
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">{t("shortTermOnlyTeams")}</legend>
          {teams.length === 0 ? <p className="text-sm text-slate-600">{t("noTeams")}</p> : null}
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {teams.map((team) => (
              <label key={team.id} className="flex items-center gap-2 text-sm text-slate-800">
                <input type="checkbox" name="shortTermOnlyTeams" value={team.id} defaultChecked={settings.shortTermOnlyTeams.includes(team.id)} />
                {team.name}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" name="autoDisableUnused" defaultChecked={settings.autoDisableUnused} />
          {t("autoDisableUnused")}
        </label>
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" name="autoDeleteOrphans" defaultChecked={settings.autoDeleteOrphans} />
          {t("autoDeleteOrphans")}
        </label>
        <TextField name="orphanGraceDays" type="number" min={1} max={365} label={t("orphanGraceDays")} defaultValue={settings.orphanGraceDays} error={fieldErrors.orphanGraceDays} />
        <div aria-live="polite">{error ? <Alert label={t("title")}>{error}</Alert> : null}</div>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={pending}>
            {pending ? t("saving") : t("save")}
          </Button>
          <Button
            variant="secondary"
            disabled={pending}
            onClick={(e) => {
              const form = e.currentTarget.form!;
              startTransition(async () => {
                const result = await previewRemediation(rulesOf(form));
                if (!result.ok) {
                  setError(result.error);
                  return;
                }
                setPlanned(result.data.planned);
              });
            }}
          >
            {pending ? t("previewing") : t("preview")}
          </Button>
          <Button
            variant="secondary"
            disabled={pending}
            onClick={() =>
              startTransition(async () => {
                const result = await runRemediationNow({});
                if (!result.ok) {
                  toast.error(result.error);
                  return;
                }
                setPlanned(null);
                toast.success(t("ran", { disabled: result.data.disabled, deleted: result.data.deletedUsers, failed: result.data.failed }));
              })
            }
          >
            {t("runNow")}
          </Button>
        </div>
      </form>
      {planned ? (
        <section aria-label={t("previewTitle")} className="mt-4 rounded-md border border-slate-200 bg-slate-50 p-3">
          <h3 className="text-sm font-semibold text-slate-900">{t("previewTitle")}</h3>
          {planned.length === 0 ? (
            <p className="text-sm text-slate-600">{t("previewNone")}</p>
          ) : (
            <ul className="mt-1 list-disc pl-5 text-sm text-slate-800">
              {planned.map((p) => (
                <li key={`${p.kind}:${p.iamUserName}:${p.label}`}>{p.kind === "disableKey" ? t("disableKey", { name: p.label }) : t("deleteUser", { name: p.iamUserName })}</li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </Card>
  );
}
