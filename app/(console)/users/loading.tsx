import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { PageHeaderSkeleton, Skeleton, TableSkeleton } from "@/components/ui/skeleton";

// Shaped like the users page: header, filter bar and a 7-column table, then the teams card.
export default async function UsersLoading() {
  const t = await getTranslations("common");
  return (
    <div className="mx-auto max-w-7xl space-y-8">
      <PageHeaderSkeleton titleClassName="w-56" descriptionClassName="w-96" actionClassName="w-32" />
      <Card>
        <div className="flex flex-wrap gap-3 border-b border-slate-200 p-4">
          <Skeleton className="h-10 min-w-56 flex-1" />
          <Skeleton className="h-10 w-44" />
          <Skeleton className="h-10 w-44" />
        </div>
        <TableSkeleton columns={7} rows={6} label={t("loading")} />
      </Card>
      <Card>
        <div className="border-b border-slate-200 p-4">
          <Skeleton className="h-5 w-32" />
        </div>
        <TableSkeleton columns={5} rows={3} label={t("loading")} />
      </Card>
    </div>
  );
}
