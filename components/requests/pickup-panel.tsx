"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useTimeFormat } from "@/lib/time/use-time";
import { KeyRound } from "lucide-react";
import type { ActionResult } from "@/lib/actions/errors";
import { pickUpRequestAction } from "@/lib/requests/actions";
import { SecretReveal } from "@/components/keys/reveal/secret-reveal";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SelectField } from "@/components/ui/field";

type PickUp = Awaited<ReturnType<typeof pickUpRequestAction>> extends ActionResult<infer T> ? T : never;

/**
 * The requester issues their approved key and sees it once. The secret lives only in this
 * component's state, from the action's result until "Done" (then it is dropped and the page
 * reloads its data, which never contains it).
 */
export function PickUpPanel({
  requestId,
  kind,
  regions,
  pickupBy,
  pickable,
}: {
  requestId: string;
  kind: "long-term" | "short-term";
  regions: readonly string[];
  pickupBy: string | null;
  /** Approved and not yet picked up. Once false, only a reveal still on screen is shown. */
  pickable: boolean;
}) {
  const t = useTranslations("requests.pickup");
  const f = useTimeFormat();
  const router = useRouter();
  const [region, setRegion] = useState(regions[0] ?? "");
  const [result, setResult] = useState<PickUp | null>(null);
  const [error, setError] = useState<{ message: string; details: string[] } | null>(null);
  const [pending, startTransition] = useTransition();

  if (result) {
    const expires = result.key.expiresAt ? f.withZone(result.key.expiresAt) : t("never");
    const facts =
      result.kind === "long-term"
        ? [
            { label: t("facts.name"), value: result.key.name },
            { label: t("facts.iamUser"), value: <code>{result.key.iamUserName}</code> },
            { label: t("facts.expires"), value: expires },
            { label: t("facts.region"), value: result.key.region },
          ]
        : [
            { label: t("facts.expires"), value: expires },
            { label: t("facts.region"), value: result.key.region },
          ];
    return (
      <Card className="p-5">
        <section aria-labelledby="pickup-reveal" className="space-y-4">
          <h2 id="pickup-reveal" className="text-base font-semibold text-slate-900">
            {t("revealTitle")}
          </h2>
          <SecretReveal
            secret={result.kind === "long-term" ? result.key.secret : result.key.token}
            region={result.key.region}
            modelId={result.key.modelId}
            csvKeyName={result.kind === "long-term" ? result.key.iamUserName : null}
            facts={facts}
            lostHint={result.kind === "long-term" ? t("lostLongTerm") : t("lostShortTerm")}
            onDone={() => {
              setResult(null);
              router.refresh();
            }}
          />
        </section>
      </Card>
    );
  }
  // A refusal stays on screen after the page reloads its data (e.g. the approval has expired).
  if (!pickable && !error) return null;

  const pickUp = () =>
    startTransition(async () => {
      setError(null);
      const res = await pickUpRequestAction({ requestId, ...(kind === "short-term" ? { region } : {}) });
      if (res.ok) setResult(res.data);
      else {
        setError({ message: res.error, details: Object.values(res.fieldErrors ?? {}) });
        router.refresh();
      }
    });

  return (
    <Card className="p-5">
      <section aria-labelledby="pickup-title" className="space-y-3">
        <h2 id="pickup-title" className="text-base font-semibold text-slate-900">
          {t("title")}
        </h2>
        {pickable ? (
          <p className="text-sm text-slate-600">
            {t("intro")} {pickupBy ? t("by", { when: f.withZone(pickupBy) }) : null}
          </p>
        ) : null}
        {error ? (
          <Alert label={t("errorLabel")}>
            <p>{error.message}</p>
            {error.details.length > 0 ? (
              <ul className="mt-1 list-disc pl-5">
                {error.details.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            ) : null}
          </Alert>
        ) : null}
        {pickable && kind === "short-term" ? (
          <div className="max-w-xs">
            <SelectField label={t("region")} value={region} onChange={(e) => setRegion(e.target.value)} hint={t("regionHint")}>
              {regions.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </SelectField>
          </div>
        ) : null}
        {pickable ? (
          <Button onClick={pickUp} disabled={pending}>
            <KeyRound aria-hidden className="h-4 w-4" />
            {pending ? t("issuing") : t("submit")}
          </Button>
        ) : null}
      </section>
    </Card>
  );
}
