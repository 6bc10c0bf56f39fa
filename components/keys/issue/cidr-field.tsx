"use client";

import { useId } from "react";
import { useTranslations } from "next-intl";
import { Check, X } from "lucide-react";
import { parseCidr, type CidrResult } from "@/lib/keys/cidr";

/** Splits the text area as issueKeySchema does: one range per line, or separated by commas/spaces. */
export function cidrLines(text: string): { text: string; result: CidrResult }[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => ({ text: s, result: parseCidr(s) }));
}

/**
 * "Allowed source IP ranges" with instant feedback per range, from the same parser the server
 * uses: the canonical form that goes into the policy, or what is wrong (and, for host bits, the
 * network that was probably meant).
 */
export function CidrField({ value, onChange, error }: { value: string; onChange: (value: string) => void; error?: string }) {
  const t = useTranslations("keys.form.cidrs");
  const id = useId();
  const lines = cidrLines(value);
  const bad = lines.filter((l) => !l.result.ok).length;

  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {t("label")}
      </label>
      <textarea
        id={id}
        name="cidrs"
        rows={3}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={"10.0.0.0/8\n203.0.113.0/24"}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={bad > 0 || error ? true : undefined}
        aria-describedby={`${id}-hint ${id}-feedback ${id}-error`}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm shadow-sm placeholder:text-slate-400 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
      />
      <p id={`${id}-hint`} className="text-xs text-slate-600">
        {t("hint")}
      </p>
      <ul id={`${id}-feedback`} aria-live="polite" className="space-y-0.5 text-xs">
        {lines.map((l, i) => (
          <li key={`${i}-${l.text}`} className={l.result.ok ? "flex items-center gap-1 text-emerald-800" : "flex items-center gap-1 text-red-700"}>
            {l.result.ok ? <Check aria-hidden className="h-3.5 w-3.5" /> : <X aria-hidden className="h-3.5 w-3.5" />}
            <span className="font-mono">{l.text}</span>
            <span>
              {l.result.ok
                ? l.result.cidr === l.text
                  ? t("ok", { version: l.result.version })
                  : t("okAs", { cidr: l.result.cidr, version: l.result.version })
                : l.result.reason === "hostBits"
                  ? t("hostBits", { suggestion: l.result.suggestion })
                  : t("format")}
            </span>
          </li>
        ))}
      </ul>
      <p id={`${id}-error`} aria-live="polite" className="text-xs text-red-700">
        {error}
      </p>
    </div>
  );
}
