import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { Skeleton, TableSkeleton } from "@/components/ui/skeleton";

// Shaped like the page: header, the generate card beside the explainer, the issuances table.
export default async function ShortTermLoading() {
  const t = await getTranslations("common");
  return (
    <div className="mx-auto max-w-7xl space-y-6">
      <div className="space-y-2">
        <Skeleton className="h-7 w-48" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Card className="space-y-4 p-5">
          <Skeleton className="h-5 w-56" />
          <Skeleton className="h-10 w-full" />
          <Skeleton className="h-8 w-80 max-w-full" />
          <Skeleton className="h-10 w-40" />
        </Card>
        <Card className="space-y-3 p-5">
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="h-4 w-full" />
          ))}
        </Card>
      </div>
      <Card>
        <TableSkeleton columns={6} rows={6} label={t("loading")} />
      </Card>
    </div>
  );
}
