import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

// Shaped like the budgets page: the list of budgets, then the form.
export default function BudgetsLoading() {
  return (
    <div className="mx-auto max-w-5xl space-y-8">
      <div className="space-y-2">
        <Skeleton className="h-7 w-40" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <Card className="space-y-4 p-6">
        <Skeleton className="h-5 w-48" />
        <Skeleton className="h-16" />
        <Skeleton className="h-16" />
      </Card>
      <Card className="space-y-4 p-6">
        <Skeleton className="h-5 w-40" />
        <div className="grid gap-4 sm:grid-cols-2">
          <Skeleton className="h-10" />
          <Skeleton className="h-10" />
        </div>
      </Card>
    </div>
  );
}
