import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { Skeleton, TableSkeleton } from "@/components/ui/skeleton";

// Shaped like the settings page: the policy form, the webhook form and the delivery log.
export default async function SettingsLoading() {
  const t = await getTranslations("common");
  return (
    <div className="mx-auto max-w-5xl space-y-8">
      <div className="space-y-2">
        <Skeleton className="h-7 w-40" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <Card className="space-y-4 p-6">
        <Skeleton className="h-5 w-48" />
        <div className="grid gap-4 sm:grid-cols-2">
          <Skeleton className="h-10" />
          <Skeleton className="h-10" />
        </div>
        <Skeleton className="h-5 w-72" />
        <Skeleton className="h-10 w-48" />
      </Card>
      <Card className="space-y-4 p-6">
        <Skeleton className="h-5 w-40" />
        <Skeleton className="h-10" />
        <Skeleton className="h-10" />
      </Card>
      <Card>
        <TableSkeleton columns={6} rows={4} label={t("loading")} />
      </Card>
    </div>
  );
}
