import { useTranslations } from "next-intl";
import { actionMessageKey, type AuditSentenceEntry, auditSentence, KNOWN_AUDIT_ACTIONS } from "@/lib/audit/sentences";

/** One audit entry as a sentence in the reader's language, with the action's code below it. */
export function AuditSentence({ entry, names }: { entry: AuditSentenceEntry; names: Record<string, string> }) {
  const t = useTranslations("auditSentences");
  const text = auditSentence(entry, (key, values) => t(key as "system", values), (email) => names[email] ?? email);
  return (
    <span className="block min-w-64 [overflow-wrap:anywhere]">
      <span className="text-slate-900">{text}</span>
      <span className="block text-xs text-slate-500">
        {KNOWN_AUDIT_ACTIONS.has(entry.action) ? `${t(`actionNames.${actionMessageKey(entry.action)}` as "system")} · ` : null}
        <code className="font-mono">{entry.action}</code>
      </span>
    </span>
  );
}

/** Indented JSON; "" for an empty object; anything that is not JSON (an old or hand-written row) as recorded. */
function prettyJson(details: string): string {
  try {
    const value: unknown = JSON.parse(details);
    if (value && typeof value === "object" && Object.keys(value).length === 0) return "";
    return JSON.stringify(value, null, 2);
  } catch {
    return details;
  }
}

/** The recorded details as formatted JSON, behind a disclosure: there for whoever needs them. */
export function AuditDetails({ details }: { details: string }) {
  const t = useTranslations("auditSentences");
  const pretty = prettyJson(details);
  if (pretty === "") return <span className="text-slate-500">—</span>;
  return (
    <details className="group">
      <summary className="cursor-pointer text-sm font-medium text-brand-700 hover:underline">{t("details")}</summary>
      <pre tabIndex={0} aria-label={t("rawJson")} className="mt-2 max-h-72 max-w-md overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
        {pretty}
      </pre>
    </details>
  );
}
