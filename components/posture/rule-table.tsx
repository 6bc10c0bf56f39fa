"use client";

import Link from "next/link";
import { useState } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { acceptPostureRisk, fixPostureFinding } from "@/lib/posture/actions";
import type { FixKind } from "@/lib/posture/rules";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";

type Fix = Exclude<FixKind, "keyPage">;

export interface FindingRow {
  id: string;
  label: string;
  apiKeyId: string | null;
  iamUserName: string;
  /** The "why", rendered on the server in the reader's language. */
  why: string;
  /** First seen, as the reader's date. */
  since: string;
  /** The fixes this person may use (decided on the server by role, rule and what the finding has). */
  fixes: FixKind[];
  /** detachPolicy: the policies the finding names. */
  policies: string[];
}

/**
 * One rule's affected keys with their one-click fixes and "accept the risk". Plain buttons per row
 * and a single confirmation and a single accept dialog per table (not one per row): a page of
 * many findings stays light to render.
 */
export function RuleTable({ title, rows, canAccept, defaultUntil, minUntil }: { title: string; rows: FindingRow[]; canAccept: boolean; defaultUntil: string; minUntil: string }) {
  const t = useTranslations("posture");
  const [pendingFix, setPendingFix] = useState<{ row: FindingRow; fix: Fix; policy?: string; text: string } | null>(null);
  const [accepting, setAccepting] = useState<FindingRow | null>(null);

  const confirmText = (p: NonNullable<typeof pendingFix>) =>
    p.fix === "disable"
      ? t("fix.confirmDisable", { name: p.row.label })
      : p.fix === "delete"
        ? t("fix.confirmDelete", { name: p.row.label })
        : p.fix === "deleteUser"
          ? t("fix.confirmDeleteUser", { name: p.row.label })
          : t("fix.confirmDetachPolicy", { name: p.row.label, policy: p.policy ?? "" });

  return (
    <>
      <Table regionLabel={title}>
        <THead>
          <Tr>
            <Th>{t("table.key")}</Th>
            <Th>{t("table.iamUser")}</Th>
            <Th>{t("table.detail")}</Th>
            <Th>{t("table.since")}</Th>
            <Th>{t("table.actions")}</Th>
          </Tr>
        </THead>
        <TBody>
          {rows.map((row) => (
            <Tr key={row.id}>
              <Td className="font-medium">
                {row.apiKeyId ? (
                  <Link href={`/keys/${row.apiKeyId}`} className="text-brand-700 hover:underline">
                    {row.label}
                  </Link>
                ) : (
                  row.label
                )}
              </Td>
              <Td className="font-mono text-xs">{row.iamUserName}</Td>
              <Td className="text-sm">{row.why}</Td>
              <Td className="whitespace-nowrap text-sm">{row.since}</Td>
              <Td>
                <div className="flex flex-wrap gap-2">
                  {row.fixes.flatMap((fix): { fix: Fix; policy?: string; text: string }[] =>
                    fix === "keyPage"
                      ? []
                      : fix === "detachPolicy"
                        ? row.policies.map((policy) => ({ fix, policy, text: t("fix.detachPolicy", { policy }) }))
                        : [{ fix, text: t(`fix.${fix}`) }],
                  ).map((b) => (
                    <Button key={`${b.fix}:${b.policy ?? ""}`} size="sm" variant="secondary" onClick={() => setPendingFix({ row, fix: b.fix, ...(b.policy ? { policy: b.policy } : {}), text: b.text })}>
                      {b.text}
                    </Button>
                  ))}
                  {row.fixes.includes("keyPage") && row.apiKeyId ? (
                    <Link href={`/keys/${row.apiKeyId}`} className="inline-flex h-8 items-center rounded-md px-3 text-sm font-medium text-brand-700 hover:bg-slate-100">
                      {t("fix.keyPage")}
                    </Link>
                  ) : null}
                  {canAccept ? (
                    <Button size="sm" variant="ghost" onClick={() => setAccepting(row)}>
                      {t("accept.button")}
                    </Button>
                  ) : null}
                </div>
              </Td>
            </Tr>
          ))}
        </TBody>
      </Table>
      {pendingFix ? (
        <ConfirmDialog
          open
          onOpenChange={(open) => !open && setPendingFix(null)}
          title={t("fix.confirmTitle", { fix: pendingFix.text })}
          description={confirmText(pendingFix)}
          confirmLabel={pendingFix.text}
          pendingLabel={t("fix.pending")}
          tone={pendingFix.fix === "disable" ? "primary" : "danger"}
          errorLabel={t("fix.error")}
          onConfirm={async () => {
            const result = await fixPostureFinding({ findingId: pendingFix.row.id, fix: pendingFix.fix, ...(pendingFix.policy ? { policy: pendingFix.policy } : {}) });
            if (!result.ok) return result.error;
            setPendingFix(null);
            toast.success(t("fix.done"));
          }}
        />
      ) : null}
      {accepting ? <AcceptDialog row={accepting} onClose={() => setAccepting(null)} defaultUntil={defaultUntil} minUntil={minUntil} /> : null}
    </>
  );
}

function AcceptDialog({ row, onClose, defaultUntil, minUntil }: { row: FindingRow; onClose: () => void; defaultUntil: string; minUntil: string }) {
  const t = useTranslations("posture.accept");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  async function submit(form: FormData) {
    setPending(true);
    setError(null);
    const result = await acceptPostureRisk({ findingId: row.id, reason: form.get("reason"), expiresOn: form.get("expiresOn") });
    setPending(false);
    if (!result.ok) {
      setError(result.error);
      setFieldErrors(result.fieldErrors ?? {});
      return;
    }
    onClose();
    toast.success(t("done", { date: String(form.get("expiresOn")) }));
  }

  return (
    <Dialog title={t("title")} description={t("description")} open onOpenChange={(open) => !open && onClose()}>
      <form action={submit} className="space-y-4">
        <p className="text-sm font-medium text-slate-800">{row.label}</p>
        <TextField name="reason" label={t("reason")} hint={t("reasonHint")} maxLength={500} error={fieldErrors.reason} />
        <TextField name="expiresOn" type="date" label={t("expiresOn")} defaultValue={defaultUntil} min={minUntil} required error={fieldErrors.expiresOn} />
        <div aria-live="polite">{error ? <Alert label={t("title")}>{error}</Alert> : null}</div>
        <DialogFooter>
          <Button type="submit" disabled={pending}>
            {pending ? t("pending") : t("submit")}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
