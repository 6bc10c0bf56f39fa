"use client";

import { startTransition, useActionState, useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { issueKey } from "@/lib/keys/actions";
import type { CatalogueEntry } from "@/lib/keys/catalogue";
import type { KeyReveal } from "@/lib/keys/issue";
import { isValidKeyName, KEY_NAME_MAX, KEY_NAME_PUNCTUATION } from "@/lib/keys/naming";
import { MAX_KEY_AGE_DAYS } from "@/lib/keys/schemas";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { OwnerTeamFields } from "../owner-team-fields";
import { CidrField } from "./cidr-field";
import { ExpiryField } from "./expiry-field";
import { IssueSummary } from "./issue-summary";
import { ModelPicker } from "./model-picker";

export interface IssueFormOptions {
  region: string;
  /** Active AWS accounts, the console's own first; the choice is shown when there are several. */
  accounts: { id: string; name: string; isDefault: boolean; limitedToTeams: boolean }[];
  owners: { id: string; name: string; email: string; teams: { id: string; name: string }[] }[];
  extraPolicies: string[];
  models: CatalogueEntry[];
  expiryPresets: number[];
  maxAgeDays: number;
}

type Failure = { error: string; fieldErrors: Record<string, string> };

const DEFAULT_EXPIRY_DAYS = 30;

/** 30 days when offered, else the longest preset the organisation's policy allows. */
function defaultExpiry(presets: number[]): string {
  if (presets.includes(DEFAULT_EXPIRY_DAYS)) return String(DEFAULT_EXPIRY_DAYS);
  const last = presets[presets.length - 1];
  return last === undefined ? "custom" : String(last);
}

/**
 * The issue form. Only failures are kept in useActionState: a success hands the reveal straight
 * to onIssued, so the secret never sits in this form's state. The idempotency token is fixed for
 * this rendering of the form, so a double click or a re-submit creates one key, not two.
 */
export function IssueKeyForm({
  options,
  idempotencyToken,
  now,
  today,
  onIssued,
}: {
  options: IssueFormOptions;
  idempotencyToken: string;
  now: Date;
  /** YYYY-MM-DD (UTC) on the server: the earliest "not after" date. */
  today: string;
  onIssued: (reveal: KeyReveal) => void;
}) {
  const t = useTranslations("keys.form");
  const [name, setName] = useState("");
  const [ownerId, setOwnerId] = useState("");
  const [teamId, setTeamId] = useState("");
  const [expiry, setExpiry] = useState(() => defaultExpiry(options.expiryPresets));
  const [customDays, setCustomDays] = useState("");
  const [extras, setExtras] = useState<string[]>([]);
  const [models, setModels] = useState<string[]>([]);
  const [cidrs, setCidrs] = useState("");
  const [notAfter, setNotAfter] = useState("");
  const owner = options.owners.find((o) => o.id === ownerId);

  const [failure, dispatch, pending] = useActionState<Failure | null, FormData>(async (_prev, form) => {
    const result = await issueKey(form);
    if (result.ok) {
      onIssued(result.data);
      return null;
    }
    return { error: result.error, fieldErrors: result.fieldErrors ?? {} };
  }, null);
  const fieldError = (field: string) => failure?.fieldErrors[field] ?? Object.entries(failure?.fieldErrors ?? {}).find(([k]) => k.startsWith(`${field}.`))?.[1];

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const form = new FormData(event.currentTarget);
    startTransition(() => dispatch(form));
  };

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
      <div className="space-y-6">
        <input type="hidden" name="idempotencyToken" value={idempotencyToken} />
        <div aria-live="assertive">{failure ? <Alert label={t("errorLabel")}>{failure.error}</Alert> : null}</div>

        <Card className="space-y-4 p-5">
          <h2 className="text-base font-semibold text-slate-900">{t("sections.key")}</h2>
          <TextField
            label={t("name")}
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={KEY_NAME_MAX}
            autoComplete="off"
            hint={t("nameHint", { max: KEY_NAME_MAX, punctuation: KEY_NAME_PUNCTUATION })}
            // The same rule as the server's, as the person types; uniqueness is the server's to say.
            error={fieldError("name") ?? (name.trim() && !isValidKeyName(name) ? t("nameInvalid", { punctuation: KEY_NAME_PUNCTUATION }) : undefined)}
          />
          <TextField label={t("purpose")} name="purpose" maxLength={256} autoComplete="off" hint={t("purposeHint")} error={fieldError("purpose")} />
          {/* A choice, or a single account open to some teams only: where a refusal would point. */}
          {options.accounts.length > 1 || options.accounts.some((a) => a.limitedToTeams) ? (
            <SelectField label={t("account")} name="accountId" defaultValue={options.accounts[0]?.id} hint={t("accountHint")} error={fieldError("accountId")}>
              {options.accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} ({a.id})
                </option>
              ))}
            </SelectField>
          ) : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <OwnerTeamFields
              owners={options.owners}
              ownerId={ownerId}
              teamId={teamId}
              onChange={(o, team) => {
                setOwnerId(o);
                setTeamId(team);
              }}
              ownerError={fieldError("ownerId")}
              teamError={fieldError("teamId")}
              showOwnerHint
            />
          </div>
          <ExpiryField
            presets={options.expiryPresets}
            value={expiry}
            customDays={customDays}
            onChange={setExpiry}
            onCustomDaysChange={setCustomDays}
            now={now}
            maxDays={options.maxAgeDays}
            // A policy maximum (issue 6) rules out "never"; the server refuses it too.
            allowNever={options.maxAgeDays >= MAX_KEY_AGE_DAYS}
            error={fieldError("expiry")}
            customError={fieldError("customDays")}
          />
        </Card>

        <Card className="space-y-3 p-5">
          <h2 className="text-base font-semibold text-slate-900">{t("sections.policies")}</h2>
          <p className="text-sm text-slate-600">{t("policiesIntro")}</p>
          <fieldset className="space-y-2">
            <legend className="sr-only">{t("extraPolicies")}</legend>
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" checked disabled className="h-4 w-4 rounded border-slate-400" />
              <span className="font-mono">AmazonBedrockLimitedAccess</span>
              <span className="text-xs text-slate-600">{t("alwaysAttached")}</span>
            </label>
            {options.extraPolicies.map((p) => (
              <label key={p} className="flex items-center gap-2 text-sm text-slate-800">
                <input
                  type="checkbox"
                  name="extraPolicies[]"
                  value={p}
                  checked={extras.includes(p)}
                  onChange={(e) => setExtras(e.target.checked ? [...extras, p] : extras.filter((x) => x !== p))}
                  className="h-4 w-4 rounded border-slate-400"
                />
                <span className="font-mono">{p}</span>
              </label>
            ))}
            {options.extraPolicies.length === 0 ? <p className="text-xs text-slate-600">{t("noExtraPolicies")}</p> : null}
            <p aria-live="polite" className="text-xs text-red-700">
              {fieldError("extraPolicies")}
            </p>
          </fieldset>
        </Card>

        <Card className="space-y-5 p-5">
          <div>
            <h2 className="text-base font-semibold text-slate-900">{t("sections.restrictions")}</h2>
            <p className="mt-1 text-sm text-slate-600">{t("restrictionsIntro")}</p>
          </div>
          <ModelPicker models={options.models} selected={models} onChange={setModels} error={fieldError("models")} />
          <CidrField value={cidrs} onChange={setCidrs} error={fieldError("cidrs")} />
          <TextField
            label={t("notAfter")}
            name="notAfter"
            type="date"
            min={today}
            value={notAfter}
            onChange={(e) => setNotAfter(e.target.value)}
            hint={t("notAfterHint", { expiryLabel: t("expiry.label") })}
            error={fieldError("notAfter")}
            className="w-48"
          />
        </Card>
      </div>

      <aside className="lg:sticky lg:top-6 lg:self-start">
        <IssueSummary
          name={name}
          owner={owner}
          teamName={owner?.teams.find((x) => x.id === teamId)?.name}
          expiry={expiry}
          customDays={customDays}
          now={now}
          maxDays={options.maxAgeDays}
          extras={extras}
          models={options.models.filter((m) => models.includes(m.id))}
          cidrs={cidrs}
          notAfter={notAfter}
        />
        <Button type="submit" className="mt-4 w-full" disabled={pending}>
          {pending ? t("submitting") : t("submit")}
        </Button>
      </aside>
    </form>
  );
}
