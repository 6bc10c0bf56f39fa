import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { PageHeaderSkeleton, Skeleton, TableSkeleton } from "@/components/ui/skeleton";

// Shaped like the requests page: header with its button, the tabs, and an 8-column table.
export default async function RequestsLoading() {
  const t = await getTranslations("common");
  return (
    <div className="mx-auto max-w-7xl">
      <PageHeaderSkeleton titleClassName="w-48" descriptionClassName="w-96" actionClassName="w-36" />
      <div className="mb-4 flex gap-4 border-b border-slate-200 pb-2">
        <Skeleton className="h-5 w-28" />
        <Skeleton className="h-5 w-24" />
      </div>
      <Card>
        <TableSkeleton columns={8} rows={6} label={t("loading")} />
      </Card>
    </div>
  );
}
