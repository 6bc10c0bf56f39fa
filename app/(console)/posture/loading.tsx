import { Skeleton } from "@/components/ui/skeleton";

/** Shaped like the page: summary tiles, then a rule card with its table. */
export default function PostureLoading() {
  return (
    <div className="mx-auto max-w-[96rem] space-y-6">
      <Skeleton className="h-8 w-48" />
      <div className="grid gap-4 sm:grid-cols-3">
        <Skeleton className="h-20" />
        <Skeleton className="h-20" />
        <Skeleton className="h-20" />
      </div>
      <Skeleton className="h-64" />
    </div>
  );
}
