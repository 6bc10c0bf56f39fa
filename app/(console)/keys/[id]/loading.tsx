import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { Skeleton, TableSkeleton } from "@/components/ui/skeleton";

// Shaped like the key page: title with badges and buttons, details and permissions, history.
export default async function KeyLoading() {
  const t = await getTranslations("common");
  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <Skeleton className="h-4 w-28" />
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-2">
          <Skeleton className="h-7 w-64" />
          <Skeleton className="h-4 w-80 max-w-full" />
        </div>
        <div className="flex gap-2">
          <Skeleton className="h-10 w-28" />
          <Skeleton className="h-10 w-28" />
        </div>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card className="space-y-3 p-5">
          {Array.from({ length: 7 }, (_, i) => (
            <Skeleton key={i} className="h-5 w-full" />
          ))}
        </Card>
        <Card className="space-y-3 p-5">
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="h-5 w-full" />
          ))}
        </Card>
      </div>
      <Card>
        <TableSkeleton columns={5} rows={5} label={t("loading")} />
      </Card>
    </div>
  );
}
