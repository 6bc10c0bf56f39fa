import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { PageHeaderSkeleton, Skeleton, TableSkeleton } from "@/components/ui/skeleton";

// Shaped like the audit page: header with the export button, the filter form, an 8-column table.
export default async function AuditLoading() {
  const t = await getTranslations("common");
  return (
    <div className="mx-auto max-w-[96rem]">
      <PageHeaderSkeleton titleClassName="w-40" descriptionClassName="w-96" actionClassName="w-32" />
      <Card>
        <div className="grid gap-3 border-b border-slate-200 p-4 sm:grid-cols-2 lg:grid-cols-6">
          <Skeleton className="h-14 lg:col-span-2" />
          <Skeleton className="h-14" />
          <Skeleton className="h-14" />
          <Skeleton className="h-14" />
          <Skeleton className="h-14" />
        </div>
        <TableSkeleton columns={8} rows={10} label={t("loading")} />
      </Card>
    </div>
  );
}
