import { expect, type Page } from "@playwright/test";

export interface SyncRunStatus {
  status: string;
  full: boolean;
  trigger: string;
  runId: number;
  regions: { source?: string; scope?: string; inserted: number; error?: string; files?: number; readOn?: string }[];
}

/** The latest usage sync run, as the sync panel polls it. */
export async function syncStatus(page: Page): Promise<SyncRunStatus | null> {
  const res = await page.request.get("/usage/sync");
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { status: SyncRunStatus | null }).status;
}

/** "Sync now" on /usage, and wait until a run that started after it has succeeded; returns that run. */
export async function syncNow(page: Page): Promise<SyncRunStatus> {
  await expect.poll(async () => (await syncStatus(page))?.status, { timeout: 120_000 }).not.toBe("running");
  const before = (await syncStatus(page))?.runId ?? 0;
  await page.goto("/usage");
  await page.getByRole("button", { name: "Sync now" }).click();
  await expect
    .poll(async () => {
      const s = await syncStatus(page);
      return s && s.runId > before ? s.status : "waiting";
    }, { timeout: 120_000 })
    .toBe("success");
  return (await syncStatus(page))!;
}
