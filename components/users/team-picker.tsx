"use client";

import { useId, useState } from "react";
import { useTranslations } from "next-intl";

export interface TeamOption {
  id: string;
  name: string;
}

/**
 * Team membership checkboxes ("teams[]"), and for leads a second checkbox per team ("leads[]")
 * saying they lead it. Only checked teams can be led; the server enforces the same rule.
 */
export function TeamPicker({
  teams,
  isLeadRole,
  defaultTeams = [],
  defaultLeads = [],
  teamsError,
  leadsError,
}: {
  teams: TeamOption[];
  isLeadRole: boolean;
  defaultTeams?: string[];
  defaultLeads?: string[];
  teamsError?: string;
  leadsError?: string;
}) {
  const t = useTranslations("users.form");
  const id = useId();
  const [selected, setSelected] = useState(() => new Set(defaultTeams));
  const [led, setLed] = useState(() => new Set(defaultLeads));
  const error = teamsError ?? leadsError;

  const toggle = (set: Set<string>, value: string, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(value);
    else next.delete(value);
    return next;
  };

  return (
    <fieldset className="space-y-2" aria-describedby={`${id}-hint ${id}-error`}>
      <legend className="text-sm font-medium text-slate-700">{t("teams")}</legend>
      <p id={`${id}-hint`} className="text-xs text-slate-500">
        {isLeadRole ? t("teamsHintLead") : t("teamsHint")}
      </p>
      {teams.length === 0 ? (
        <p className="text-sm text-slate-600">{t("noTeams")}</p>
      ) : (
        <ul className="max-h-56 divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200">
          {teams.map((team) => {
            const member = selected.has(team.id);
            return (
              <li key={team.id} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
                <label className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    name="teams[]"
                    value={team.id}
                    checked={member}
                    onChange={(e) => {
                      setSelected(toggle(selected, team.id, e.target.checked));
                      if (!e.target.checked) setLed(toggle(led, team.id, false));
                    }}
                    className="h-4 w-4 rounded border-slate-400 accent-brand-600"
                  />
                  <span>{team.name}</span>
                </label>
                {isLeadRole ? (
                  <label className="flex items-center gap-2 text-slate-700">
                    <input
                      type="checkbox"
                      name="leads[]"
                      value={team.id}
                      checked={member && led.has(team.id)}
                      disabled={!member}
                      onChange={(e) => setLed(toggle(led, team.id, e.target.checked))}
                      aria-label={t("leadsTeam", { team: team.name })}
                      className="h-4 w-4 rounded border-slate-400 accent-brand-600"
                    />
                    <span aria-hidden>{t("leads")}</span>
                  </label>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      <p id={`${id}-error`} aria-live="polite" className="text-xs text-red-700">
        {error}
      </p>
    </fieldset>
  );
}
