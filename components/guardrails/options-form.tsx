import { getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";

/**
 * The generator's options as a plain GET form: the page regenerates from the query string, so
 * the options need no storage and a reload or a shared link shows the same policy.
 */
export async function GuardrailOptionsForm({ denyLongTerm, customStatements }: { denyLongTerm: boolean; customStatements: string }) {
  const t = await getTranslations("guardrails.options");
  return (
    <form method="get" action="/settings/guardrails" className="mt-3 space-y-4">
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="denyLongTerm" value="1" defaultChecked={denyLongTerm} className="mt-1" />
        <span>
          <span className="font-medium text-slate-800">{t("denyLongTerm")}</span>
          <span className="block text-xs text-slate-500">{t("denyLongTermHint")}</span>
        </span>
      </label>
      <label className="block text-sm">
        <span className="font-medium text-slate-800">{t("custom")}</span>
        <span className="block text-xs text-slate-500">{t("customHint")}</span>
        <textarea
          name="customStatements"
          defaultValue={customStatements}
          rows={4}
          spellCheck={false}
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-xs"
        />
      </label>
      <Button type="submit" variant="secondary">
        {t("regenerate")}
      </Button>
    </form>
  );
}
