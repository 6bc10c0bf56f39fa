import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { PageHeaderSkeleton, Skeleton, TableSkeleton } from "@/components/ui/skeleton";

// Shaped like the usage page: header, sync bar, filters, four tiles, charts, the events table.
export default async function UsageLoading() {
  const t = await getTranslations("common");
  return (
    <div className="mx-auto max-w-[96rem]">
      <PageHeaderSkeleton titleClassName="w-32" descriptionClassName="w-[32rem]" actionClassName="w-32" />
      <Skeleton className="mb-6 h-16 w-full" />
      <Card className="mb-6">
        <div className="grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-4 xl:grid-cols-8">
          {Array.from({ length: 8 }, (_, i) => (
            <Skeleton key={i} className="h-14" />
          ))}
        </div>
      </Card>
      <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-24" />
        ))}
      </div>
      <div className="mb-6 grid gap-6 lg:grid-cols-2">
        <Skeleton className="h-80 lg:col-span-2" />
        <Skeleton className="h-64" />
        <Skeleton className="h-64" />
      </div>
      <Card>
        <TableSkeleton columns={8} rows={10} label={t("loading")} />
      </Card>
    </div>
  );
}
