import { getTranslations } from "next-intl/server";
import type { GuardrailsPageData } from "@/lib/guardrails/loaders";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { GuardrailExportButtons } from "./export-buttons";

type Policy = GuardrailsPageData["scp"];

/** One generated policy: its statements explained, its problems, and the ways to take it away. */
export async function GuardrailPolicy({ policy, options, title, intro }: { policy: Policy; options: GuardrailsPageData["options"]; title: string; intro: string }) {
  const t = await getTranslations("guardrails");
  const headingId = `guardrail-${policy.kind}`;
  return (
    <section aria-labelledby={headingId}>
      <Card className="space-y-4 p-6">
        <div>
          <h2 id={headingId} className="text-base font-semibold text-slate-900">
            {title} <span className="font-mono text-sm font-normal text-slate-500">{policy.name}</span>
          </h2>
          <p className="mt-1 text-sm text-slate-600">{intro}</p>
          <p className="mt-1 text-xs text-slate-500">{t("size", { size: policy.size, limit: policy.limit })}</p>
        </div>
        {policy.issues.length > 0 ? (
          <Alert label={t("issues.title")}>
            <p className="font-medium">{t("issues.title")}</p>
            <ul className="mt-1 list-disc pl-5">
              {policy.issues.map((issue, i) => (
                <li key={i}>{t(`issues.${issue.code}`, issue.values)}</li>
              ))}
            </ul>
          </Alert>
        ) : null}
        <div>
          <h3 className="text-sm font-medium text-slate-800">{t("statements")}</h3>
          <ul className="mt-2 space-y-2" aria-label={`${title}: ${t("statements")}`}>
            {policy.statements.map((s, i) => (
              <li key={`${s.sid}-${i}`} className="rounded-md border border-slate-200 p-3 text-sm">
                <span className="font-mono text-xs text-slate-500">
                  {s.effect} · {s.sid || "—"}
                </span>
                <p className="mt-1 text-slate-800">{t(`explain.${s.explain}`, s.values)}</p>
              </li>
            ))}
          </ul>
        </div>
        {policy.notes.map((n) => (
          <Alert key={n.key} label={t(`notes.${n.key}`, n.values ?? {})} tone="info">
            {t(`notes.${n.key}`, n.values ?? {})}
          </Alert>
        ))}
        <GuardrailExportButtons kind={policy.kind} options={options} disabled={policy.issues.length > 0} terraform={policy.terraform} />
        <Preview summary={t("showJson")} testId={`${policy.kind}-json`} text={policy.pretty} />
        {policy.terraform ? <Preview summary={t("showTerraform")} testId={`${policy.kind}-terraform`} text={policy.terraform} /> : null}
      </Card>
    </section>
  );
}

function Preview({ summary, testId, text }: { summary: string; testId: string; text: string }) {
  return (
    <details>
      <summary className="cursor-pointer text-sm text-slate-700">{summary}</summary>
      <pre className="mt-2 max-h-96 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100" data-testid={testId}>
        {text}
      </pre>
    </details>
  );
}
