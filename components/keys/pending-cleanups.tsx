import { getFormatter, getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { CleanupRetryButton } from "./cleanup-retry-button";

export interface PendingCleanupRow {
  iamUserName: string;
  reason: string;
  since: Date;
  attempts: number;
  lastError: string | null;
}

/** The inventory's "Clean-up pending" list: console-made IAM users left without a key (admins). */
export async function PendingCleanups({ rows }: { rows: PendingCleanupRow[] }) {
  if (rows.length === 0) return null;
  const t = await getTranslations("keys.cleanup");
  const format = await getFormatter();
  return (
    <Card className="mb-4">
      <section aria-labelledby="pending-cleanups" className="p-4">
        <h2 id="pending-cleanups" className="text-base font-semibold text-slate-900">
          {t("inventoryTitle")}
        </h2>
        <p className="mt-1 text-sm text-slate-600">{t("inventoryIntro")}</p>
        <div className="mt-3 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-600">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">{t("user")}</th>
                <th scope="col" className="py-2 pr-4 font-medium">{t("reason")}</th>
                <th scope="col" className="py-2 pr-4 font-medium">{t("since")}</th>
                <th scope="col" className="py-2 pr-4 font-medium">{t("attempts")}</th>
                <th scope="col" className="py-2 pr-4 font-medium">{t("lastError")}</th>
                <th scope="col" className="py-2 font-medium"><span className="sr-only">{t("retry")}</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={r.iamUserName}>
                  <td className="break-all py-2 pr-4 font-mono text-xs">{r.iamUserName}</td>
                  <td className="py-2 pr-4">{r.reason === "deleteFailed" || r.reason === "foundByRefresh" ? t(`reasons.${r.reason}`) : r.reason}</td>
                  <td className="py-2 pr-4">
                    <time dateTime={r.since.toISOString()}>{format.dateTime(r.since, { dateStyle: "medium", timeStyle: "short" })}</time>
                  </td>
                  <td className="py-2 pr-4">{r.attempts}</td>
                  <td className="py-2 pr-4 font-mono text-xs">{r.lastError ?? t("none")}</td>
                  <td className="py-2 text-right">
                    <CleanupRetryButton iamUserName={r.iamUserName} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </Card>
  );
}
