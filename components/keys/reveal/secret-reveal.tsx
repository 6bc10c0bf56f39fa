"use client";

import { useId, useState, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { Tabs } from "radix-ui";
import { Download, Eye, EyeOff, TriangleAlert } from "lucide-react";
import {
  anthropicPythonSnippet,
  anthropicTypeScriptSnippet,
  curlSnippet,
  envSnippet,
  ENV_FILE_NAME,
  javascriptSnippet,
  keyCsv,
  openAiPythonSnippet,
  openAiTypeScriptSnippet,
  pythonSnippet,
} from "@/lib/keys/reveal";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CopyButton } from "./copy-button";
import { useLeaveGuard } from "./use-leave-guard";

export interface RevealFact {
  label: string;
  value: ReactNode;
}

export interface SecretRevealProps {
  /** The one-time secret. Lives only in the parent's state, which drops it in onDone. */
  secret: string;
  region: string;
  modelId: string;
  /** Long-term keys: the IAM user name, the CSV's "API key name". null for short-term keys (AWS offers no CSV for them). */
  csvKeyName: string | null;
  facts: RevealFact[];
  /** What to do when it is lost: "reset the key" or "generate a new one". */
  lostHint: string;
  onDone: () => void;
}

const SHORT_PREFIX = "bedrock-api-key-";

/** The public prefix (ABSK / bedrock-api-key-) and dots: enough to recognise the key, nothing to use. */
function masked(secret: string): string {
  const prefix = secret.startsWith(SHORT_PREFIX) ? SHORT_PREFIX : secret.slice(0, 4);
  return `${prefix}${"•".repeat(32)}`;
}

function downloadText(fileName: string, content: string, type: string) {
  // A blob URL in memory, revoked at once: the file never passes through the server again.
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * The one-time reveal of a Bedrock API key (issue, reset, short-term): the key masked until asked,
 * copy, the CSV in the AWS console's format, a .env.local block and ready-to-run snippets. Leaving
 * warns until the person confirms they stored the key; then onDone drops the secret.
 */
export function SecretReveal({ secret, region, modelId, csvKeyName, facts, lostHint, onDone }: SecretRevealProps) {
  const t = useTranslations("keys.reveal");
  const [shown, setShown] = useState(false);
  const [stored, setStored] = useState(false);
  const ids = useId();
  useLeaveGuard(true, t("leaveWarning"));

  const env = envSnippet({ secret, region, modelId });
  const sdk = { region, modelId };
  const snippets: { id: string; label: string; code: string; display?: string; secret?: boolean; hint?: string }[] = [
    { id: "env", label: ENV_FILE_NAME, code: env, display: shown ? env : env.replace(secret, masked(secret)), secret: true },
    { id: "python", label: t("tabs.python"), code: pythonSnippet(sdk) },
    { id: "javascript", label: t("tabs.javascript"), code: javascriptSnippet(sdk) },
    { id: "curl", label: t("tabs.curl"), code: curlSnippet(sdk) },
    // The SDK doors (bedrock-mantle, bedrock-runtime's /openai/v1), as AWS documents their base URLs.
    { id: "openai-python", label: t("tabs.openaiPython"), code: openAiPythonSnippet(sdk), hint: t("sdkHint", { region }) },
    { id: "openai-typescript", label: t("tabs.openaiTypeScript"), code: openAiTypeScriptSnippet(sdk), hint: t("sdkHint", { region }) },
    { id: "anthropic-python", label: t("tabs.anthropicPython"), code: anthropicPythonSnippet(sdk), hint: t("sdkHint", { region }) },
    { id: "anthropic-typescript", label: t("tabs.anthropicTypeScript"), code: anthropicTypeScriptSnippet(sdk), hint: t("sdkHint", { region }) },
  ];

  return (
    <div className="space-y-5">
      <div role="note" aria-label={t("onceLabel")} className="flex gap-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
        <TriangleAlert aria-hidden className="mt-0.5 h-5 w-5 shrink-0 text-amber-700" />
        <div>
          <p className="font-semibold">{t("onceTitle")}</p>
          <p className="mt-0.5">
            {t("onceBody")} {lostHint}
          </p>
        </div>
      </div>

      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
        {facts.map((fact) => (
          <div key={fact.label} className="min-w-0">
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{fact.label}</dt>
            <dd className="mt-0.5 break-all text-slate-900">{fact.value}</dd>
          </div>
        ))}
      </dl>

      <div>
        <p id={`${ids}-key`} className="text-sm font-medium text-slate-700">
          {t("keyLabel")}
        </p>
        <div className="mt-1 flex flex-wrap items-start gap-2">
          <code
            aria-labelledby={`${ids}-key`}
            data-testid="revealed-secret"
            className="min-h-10 min-w-0 flex-1 select-all break-all rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm text-slate-900"
          >
            {shown ? secret : masked(secret)}
          </code>
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" size="sm" className="h-10" aria-pressed={shown} onClick={() => setShown((s) => !s)}>
              {shown ? <EyeOff aria-hidden className="h-4 w-4" /> : <Eye aria-hidden className="h-4 w-4" />}
              {shown ? t("hide") : t("show")}
            </Button>
            <CopyButton text={secret} label={t("copyKey")} className="h-10" onFailed={() => setShown(true)} />
          </div>
        </div>
        {csvKeyName ? (
          <Button
            variant="secondary"
            size="sm"
            className="mt-2"
            onClick={() => {
              const csv = keyCsv({ keyName: csvKeyName, secret });
              downloadText(csv.fileName, csv.content, "text/csv;charset=utf-8");
            }}
          >
            <Download aria-hidden className="h-4 w-4" />
            {t("downloadCsv")}
          </Button>
        ) : null}
      </div>

      <Tabs.Root defaultValue="env">
        <h3 className="text-sm font-medium text-slate-700">{t("useIt")}</h3>
        <Tabs.List aria-label={t("tabsLabel")} className="mt-2 flex flex-wrap gap-1 border-b border-slate-200">
          {snippets.map((s) => (
            <Tabs.Trigger
              key={s.id}
              value={s.id}
              className="-mb-px rounded-t-md border border-transparent px-3 py-1.5 text-sm font-medium text-slate-600 hover:text-slate-900 data-[state=active]:border-slate-200 data-[state=active]:border-b-white data-[state=active]:bg-white data-[state=active]:text-brand-800"
            >
              {s.label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {snippets.map((s) => (
          <Tabs.Content key={s.id} value={s.id} className="mt-3 focus-visible:outline-2">
            <div className="relative">
              {/* Focusable and named: keyboard users can scroll long snippets (axe scrollable-region-focusable). */}
              <pre tabIndex={0} aria-label={s.label} className={cn("max-h-72 overflow-auto rounded-md bg-slate-900 p-3 pr-24 text-xs leading-relaxed text-slate-100", s.secret ? "break-all whitespace-pre-wrap" : "")}>
                <code>{s.display ?? s.code}</code>
              </pre>
              <div className="absolute right-2 top-2">
                <CopyButton text={s.code} label={t("copyCode")} aria-label={t("copyCodeOf", { name: s.label })} />
              </div>
            </div>
            <p className="mt-2 text-xs text-slate-600">{s.secret ? t("envHint") : (s.hint ?? t("snippetHint"))}</p>
          </Tabs.Content>
        ))}
      </Tabs.Root>

      <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-4">
        <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
          <input type="checkbox" className="h-4 w-4 rounded border-slate-400" checked={stored} onChange={(e) => setStored(e.target.checked)} />
          {t("stored")}
        </label>
        <Button onClick={onDone} disabled={!stored}>
          {t("done")}
        </Button>
      </div>
    </div>
  );
}
