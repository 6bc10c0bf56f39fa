"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useTransition } from "react";
import { toast } from "sonner";
import { revertModelPrice, setModelPrice } from "@/lib/cost/actions";
import type { PriceRowView } from "@/lib/cost/loaders";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { useFormAction } from "@/components/users/use-form-action";

const usd = (n: number | null) => (n === null ? null : `$${n.toLocaleString("en-US", { maximumFractionDigits: 6 })}`);

/**
 * Settings → Prices (issue 15): the prices in force (AWS's list and admins' overrides), a form to
 * override one, and "revert" for an override. Changes cost calls read from now on only.
 */
export function PricesSection({ rows, regions, models }: { rows: PriceRowView[]; regions: readonly string[]; models: string[] }) {
  const t = useTranslations("cost.prices");
  const router = useRouter();
  const [reverting, startRevert] = useTransition();
  const { onSubmit, pending, error, fieldError } = useFormAction(setModelPrice, () => {
    toast.success(t("saved"));
    router.refresh();
  });
  const revert = (row: PriceRowView) =>
    startRevert(async () => {
      const result = await revertModelPrice({ modelId: row.modelId, region: row.region });
      if (!result.ok) toast.error(result.error);
      else {
        toast.success(t("reverted"));
        router.refresh();
      }
    });
  const region = (r: string) => (r === "*" ? t("allRegions") : r);
  return (
    <div className="space-y-6">
      <div className="max-h-[28rem] overflow-auto">
        <Table regionLabel={t("tableLabel")}>
          <THead>
            <Tr>
              <Th>{t("model")}</Th>
              <Th>{t("region")}</Th>
              <Th className="text-right">{t("input")}</Th>
              <Th className="text-right">{t("output")}</Th>
              <Th className="text-right">{t("cacheRead")}</Th>
              <Th className="text-right">{t("cacheWrite")}</Th>
              <Th>{t("source")}</Th>
              <Th>
                <span className="sr-only">{t("revert")}</span>
              </Th>
            </Tr>
          </THead>
          <TBody>
            {rows.map((r) => (
              <Tr key={r.id} data-testid="price-row" className={r.overridden ? "opacity-60" : undefined}>
                <Td className="font-mono text-xs">
                  {r.modelId}
                  {r.note ? <p className="font-sans text-xs text-slate-500">{r.note}</p> : null}
                </Td>
                <Td>{region(r.region)}</Td>
                <Td className="text-right tabular-nums">{usd(r.inputPerMTok)}</Td>
                <Td className="text-right tabular-nums">{usd(r.outputPerMTok)}</Td>
                <Td className="text-right tabular-nums">{usd(r.cacheReadPerMTok) ?? t("none")}</Td>
                <Td className="text-right tabular-nums">{usd(r.cacheWritePerMTok) ?? t("none")}</Td>
                <Td className="text-xs">
                  {r.source === "admin" ? <Badge tone="info">{t("sourceAdmin", { asOf: r.asOf, email: r.createdByEmail ?? "" })}</Badge> : t("sourceAws", { asOf: r.asOf })}
                  {r.overridden ? <span className="ml-1 text-slate-500">({t("overridden")})</span> : null}
                </Td>
                <Td>
                  {r.source === "admin" ? (
                    <Button variant="ghost" size="sm" disabled={reverting} onClick={() => revert(r)} aria-label={`${t("revert")}: ${r.modelId} (${region(r.region)})`}>
                      {t("revert")}
                    </Button>
                  ) : null}
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </div>
      <form onSubmit={onSubmit} noValidate className="space-y-4 border-t border-slate-200 pt-4" aria-labelledby="price-form-title">
        <div>
          <h3 id="price-form-title" className="text-sm font-semibold text-slate-900">
            {t("formTitle")}
          </h3>
          <p className="text-xs text-slate-500">{t("formIntro")}</p>
        </div>
        {error ? <Alert label={t("errorLabel")}>{error}</Alert> : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label={t("model")} name="modelId" list="price-models" hint={t("modelHint")} error={fieldError("modelId")} autoComplete="off" spellCheck={false} />
          <datalist id="price-models">
            {models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
          <SelectField label={t("region")} name="region" defaultValue="*" error={fieldError("region")}>
            <option value="*">{t("allRegions")}</option>
            {regions.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </SelectField>
          <TextField label={t("input")} name="inputPerMTok" inputMode="decimal" error={fieldError("inputPerMTok")} autoComplete="off" />
          <TextField label={t("output")} name="outputPerMTok" inputMode="decimal" error={fieldError("outputPerMTok")} autoComplete="off" />
          <TextField label={t("cacheRead")} name="cacheReadPerMTok" inputMode="decimal" error={fieldError("cacheReadPerMTok")} autoComplete="off" />
          <TextField label={t("cacheWrite")} name="cacheWritePerMTok" inputMode="decimal" error={fieldError("cacheWritePerMTok")} autoComplete="off" />
          <TextField label={t("note")} name="note" error={fieldError("note")} autoComplete="off" className="sm:col-span-2" />
        </div>
        <Button type="submit" disabled={pending}>
          {t("save")}
        </Button>
      </form>
    </div>
  );
}
