"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useTranslations } from "next-intl";
import { Check } from "lucide-react";
import { cn } from "@/components/ui/cn";

/** One choice of the "key or person" filter, as /usage/subjects answers it. */
export interface WhoOption {
  subject: string;
  kind: "key" | "person" | "other";
  label: string;
  detail: string;
}

const SEARCH_DELAY_MS = 150;

export const whoText = (o: Pick<WhoOption, "kind" | "label" | "detail">) => (o.kind === "other" ? o.label : `${o.label} (${o.detail})`);

/**
 * The usage filter's "key or person": a combobox (ARIA 1.2 pattern: a text box with a list of
 * choices, arrow keys move through them, Enter picks, Escape closes) that asks the server for the
 * keys and people matching what is typed (/usage/subjects, the viewer's scope, a few at a time)
 * instead of the page shipping thousands of them. The choice travels in a hidden `who` field of
 * the filter form, so the URL, the bookmark and the export stay as they were; `onPick` applies it.
 */
export function WhoCombobox({ label, selected, current, onPick }: { label: string; selected: WhoOption | null; current: string | undefined; onPick: (subject: string) => void }) {
  const t = useTranslations("usage.filters.whoSearch");
  const tf = useTranslations("usage.filters.whoGroups");
  const id = useId();
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  // A value from the URL the viewer cannot see (or that no longer exists) shows as it is.
  const shown = selected ? whoText(selected) : (current ?? "");
  const [text, setText] = useState(shown);
  const [open, setOpen] = useState(false);
  const [options, setOptions] = useState<WhoOption[] | null>(null);
  const [active, setActive] = useState(-1);
  const [state, setState] = useState<"idle" | "loading" | "failed">("idle");
  const request = useRef<AbortController | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      request.current?.abort();
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const search = (q: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      request.current?.abort();
      const controller = new AbortController();
      request.current = controller;
      setState("loading");
      try {
        const res = await fetch(`/usage/subjects?q=${encodeURIComponent(q)}`, { signal: controller.signal, headers: { accept: "application/json" } });
        if (!res.ok) throw new Error(String(res.status));
        const body = (await res.json()) as { items: WhoOption[] };
        setOptions(body.items);
        // Answers can arrive while the arrow keys move: keep the highlight where it is if it still exists.
        setActive((a) => (a <= body.items.length ? a : -1));
        setState("idle");
      } catch {
        if (!controller.signal.aborted) setState("failed");
      }
    }, SEARCH_DELAY_MS);
  };

  // "All" first, then what the server found.
  const choices: (WhoOption | null)[] = [null, ...(options ?? [])];
  const optionId = (i: number) => `${id}-opt-${i}`;

  const openList = () => {
    setOpen(true);
    // The text of the current choice is not a search: show the most recent keys and people.
    if (options === null) search(text === shown ? "" : text);
  };
  const close = () => {
    setOpen(false);
    setActive(-1);
    setText(shown);
  };
  const pick = (choice: WhoOption | null) => {
    setOpen(false);
    setActive(-1);
    setText(choice ? whoText(choice) : "");
    const subject = choice?.subject ?? "";
    if (subject !== (current ?? "")) onPick(subject);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) return openList();
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((a) => (a + step + choices.length) % choices.length);
    } else if (e.key === "Enter") {
      // Never the form's own submit (a full page load): Enter picks the highlighted choice.
      e.preventDefault();
      if (open && active >= 0) pick(choices[active]!);
    } else if (e.key === "Escape") {
      if (open) {
        e.preventDefault();
        close();
      }
    }
  };

  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <div className="relative">
        <input
          id={id}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={open && active >= 0 ? optionId(active) : undefined}
          aria-describedby={hintId}
          autoComplete="off"
          spellCheck={false}
          placeholder={t("placeholder")}
          value={text}
          // Typing searches; it is not a filter change (the form applies on change).
          onChange={(e) => {
            e.stopPropagation();
            setText(e.target.value);
            setOpen(true);
            search(e.target.value);
          }}
          onFocus={openList}
          onClick={openList}
          onBlur={close}
          onKeyDown={onKeyDown}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-500 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
        />
        <input type="hidden" name="who" value={current ?? ""} />
        <ul
          id={listId}
          role="listbox"
          aria-label={t("results")}
          hidden={!open}
          // Keep the focus in the text box while a choice is clicked (its blur would close the list first).
          onMouseDown={(e) => e.preventDefault()}
          className="absolute z-20 mt-1 max-h-72 w-full min-w-[18rem] overflow-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg"
        >
          {choices.map((choice, i) => (
            <li
              key={choice?.subject ?? ""}
              id={optionId(i)}
              role="option"
              // The highlighted option is the selected one in this pattern (APG "list autocomplete"):
              // it is what Enter picks. The filter in force is shown by the text box and a tick.
              aria-selected={i === active}
              onClick={() => pick(choice)}
              onMouseEnter={() => setActive(i)}
              className={cn("flex cursor-pointer items-center gap-1.5 px-3 py-1.5", i === active ? "bg-brand-50 text-brand-900" : "text-slate-800")}
            >
              <Check aria-hidden className={cn("size-3.5 shrink-0", (choice?.subject ?? "") === (current ?? "") ? "text-brand-700" : "invisible")} />
              {choice ? (
                <>
                  <span>{whoText(choice)}</span>
                  <span className="ml-2 text-xs text-slate-600">{tf(choice.kind)}</span>
                </>
              ) : (
                t("all")
              )}
            </li>
          ))}
        </ul>
      </div>
      {/* Read out to screen readers; shown only when there is something to say (the field lines up with the others). */}
      <p id={hintId} className={state === "failed" || (open && options?.length === 0) ? "text-xs text-amber-800" : "sr-only"} aria-live="polite">
        {state === "loading" ? t("searching") : state === "failed" ? t("failed") : open && options?.length === 0 ? t("none") : t("hint")}
      </p>
    </div>
  );
}
