import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { Skeleton, TableSkeleton } from "@/components/ui/skeleton";

// Shaped like the inventory: header with its buttons, the filter bar, a 9-column table, paging.
export default async function KeysLoading() {
  const t = await getTranslations("common");
  return (
    <div className="mx-auto max-w-[96rem]">
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-2">
          <Skeleton className="h-7 w-40" />
          <Skeleton className="h-4 w-96 max-w-full" />
        </div>
        <div className="flex gap-2">
          <Skeleton className="h-10 w-40" />
          <Skeleton className="h-10 w-32" />
          <Skeleton className="h-10 w-28" />
        </div>
      </div>
      <Card>
        <div className="grid gap-3 border-b border-slate-200 p-4 sm:grid-cols-2 lg:grid-cols-4 xl:grid-cols-8">
          <Skeleton className="h-14 sm:col-span-2" />
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} className="h-14" />
          ))}
        </div>
        <TableSkeleton columns={9} rows={10} label={t("loading")} />
        <div className="flex justify-between border-t border-slate-200 px-4 py-3">
          <Skeleton className="h-5 w-40" />
          <Skeleton className="h-8 w-64" />
        </div>
      </Card>
    </div>
  );
}
