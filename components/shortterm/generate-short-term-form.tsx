"use client";

import { startTransition, useActionState, useId, useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { useTimeFormat } from "@/lib/time/use-time";
import { CircleCheck, Timer } from "lucide-react";
import { generateShortTermKey } from "@/lib/shortterm/actions";
import type { ShortTermReveal } from "@/lib/shortterm/service";
import { ChoiceChips } from "@/components/keys/choice-chips";
import { SecretReveal } from "@/components/keys/reveal/secret-reveal";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";

const PRESET_MINUTES = [15, 60, 240, 720];
const MIN_MINUTES = 5;

type Failure = { error: string; fieldErrors: Record<string, string> };

/**
 * Generate a short-term key for oneself (the server takes the person from the session). The token
 * is revealed once, like a long-term key but without a CSV (AWS offers none); Done drops it.
 */
export function GenerateShortTermForm({
  regions,
  accounts = [],
  defaultRegion,
  maxMinutes,
  email,
}: {
  regions: string[];
  /** Member accounts with short-term keys set up (issue 14); the console's own account comes first. */
  accounts?: { id: string; name: string }[];
  defaultRegion: string;
  maxMinutes: number;
  email: string;
}) {
  const t = useTranslations("shortterm.generate");
  const tr = useTranslations("keys.reveal");
  const f = useTimeFormat();
  const id = useId();
  const presets = PRESET_MINUTES.filter((m) => m <= maxMinutes);
  const [choice, setChoice] = useState(String(presets.includes(60) ? 60 : (presets[0] ?? maxMinutes)));
  const [custom, setCustom] = useState("");
  const [reveal, setReveal] = useState<ShortTermReveal | null>(null);
  const [done, setDone] = useState(false);

  const [failure, dispatch, pending] = useActionState<Failure | null, FormData>(async (_prev, form) => {
    const result = await generateShortTermKey(form);
    if (result.ok) {
      setReveal(result.data);
      return null;
    }
    return { error: result.error, fieldErrors: result.fieldErrors ?? {} };
  }, null);

  if (reveal) {
    return (
      <div>
        <h2 className="text-base font-semibold text-slate-900">{t("revealTitle")}</h2>
        <p className="mb-4 mt-1 text-sm text-slate-600">{t("revealDescription")}</p>
        <SecretReveal
          secret={reveal.token}
          region={reveal.region}
          modelId={reveal.modelId}
          csvKeyName={null}
          lostHint={tr("lostShortTerm")}
          facts={[
            { label: tr("facts.region"), value: reveal.region },
            { label: tr("facts.expires"), value: f.withZone(reveal.expiresAt) },
            { label: tr("facts.signedAs"), value: <span className="font-mono text-xs">{reveal.sourceIdentity}</span> },
          ]}
          onDone={() => {
            setReveal(null);
            setDone(true);
          }}
        />
      </div>
    );
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const form = new FormData(event.currentTarget);
    form.set("expiresInMinutes", choice === "custom" ? custom : choice);
    setDone(false);
    startTransition(() => dispatch(form));
  };
  const label = (m: number) => (m % 60 === 0 ? t("hours", { hours: m / 60 }) : t("minutes", { minutes: m }));

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <h2 className="flex items-center gap-2 text-base font-semibold text-slate-900">
        <Timer aria-hidden className="h-5 w-5 text-brand-700" />
        {t("title")}
      </h2>
      <p className="text-sm text-slate-600">{t("intro", { email })}</p>
      {done ? (
        <p role="status" className="flex items-center gap-2 text-sm text-emerald-800">
          <CircleCheck aria-hidden className="h-4 w-4" />
          {t("stored")}
        </p>
      ) : null}
      <div aria-live="assertive">{failure ? <Alert label={t("errorLabel")}>{failure.error}</Alert> : null}</div>
      {accounts.length > 0 ? (
        <SelectField label={t("account")} name="accountId" defaultValue="" error={failure?.fieldErrors.accountId} hint={t("accountHint")}>
          <option value="">{t("ownAccount")}</option>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.id})
            </option>
          ))}
        </SelectField>
      ) : null}
      <SelectField label={t("region")} name="region" defaultValue={defaultRegion} error={failure?.fieldErrors.region} hint={t("regionHint")}>
        {regions.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </SelectField>
      <fieldset className="space-y-2" aria-describedby={`${id}-error`}>
        <legend className="text-sm font-medium text-slate-700">{t("validFor")}</legend>
        <ChoiceChips
          name="duration"
          choices={[...presets.map((m) => ({ value: String(m), label: label(m) })), { value: "custom", label: t("custom") }]}
          value={choice}
          onChange={setChoice}
        />
        {choice === "custom" ? (
          <label className="flex items-center gap-2 text-sm text-slate-700">
            {t("customMinutes")}
            <input
              type="number"
              inputMode="numeric"
              min={MIN_MINUTES}
              max={maxMinutes}
              value={custom}
              onChange={(e) => setCustom(e.target.value)}
              className="w-24 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
            />
          </label>
        ) : null}
        <p className="text-xs text-slate-600">{t("maxHint", { min: MIN_MINUTES, max: label(maxMinutes) })}</p>
        <p id={`${id}-error`} aria-live="polite" className="text-xs text-red-700">
          {failure?.fieldErrors.expiresInMinutes}
        </p>
      </fieldset>
      <Button type="submit" disabled={pending}>
        {pending ? t("pending") : t("submit")}
      </Button>
    </form>
  );
}
