"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { usageQuery, type UsageFilters } from "@/lib/usage/filters";

/**
 * Clicking a bar narrows the dashboard to what the bar stands for (that day, that model, that key,
 * that region): the same URL filters the form sets, so the table below, the totals and the CSV
 * export follow, and the back button undoes it. Paging and an open event are dropped.
 */
export function useDrillDown(filters: UsageFilters) {
  const router = useRouter();
  const [, startTransition] = useTransition();
  return {
    to(overrides: Partial<Record<keyof UsageFilters, string | undefined>>) {
      startTransition(() => router.push(`/usage${usageQuery(filters, { page: undefined, event: undefined, ...overrides })}`));
    },
  };
}
