import { FormCardSkeleton, PageSkeleton, Skeleton, TableCardSkeleton } from "@/app/_components/skeleton";

// The loading placeholder of each main page of an organisation, shaped like it (Skeleton).

export function DashboardSkeleton() {
  return (
    <PageSkeleton label="Loading the dashboard">
      <div className="grid items-start gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <TableCardSkeleton rows={3} cols={3} />
          <TableCardSkeleton rows={2} cols={3} />
        </div>
        <TableCardSkeleton rows={4} cols={1} />
      </div>
    </PageSkeleton>
  );
}

export function ListSkeleton({ label, rows = 6, cols = 4, actions = false, filters = false }: { label: string; rows?: number; cols?: number; actions?: boolean; filters?: boolean }) {
  return (
    <PageSkeleton label={label} actions={actions}>
      {filters ? (
        <div className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <div className="flex flex-wrap gap-3 border-b border-slate-200 px-5 py-4">
            <Skeleton className="h-10 w-40" />
            <Skeleton className="h-10 w-32" />
            <Skeleton className="h-10 w-32" />
          </div>
          <TableCardSkeleton rows={rows} cols={cols} header={false} />
        </div>
      ) : (
        <TableCardSkeleton rows={rows} cols={cols} />
      )}
    </PageSkeleton>
  );
}

export function SettingsSkeleton({ label, forms = 1, table = true }: { label: string; forms?: number; table?: boolean }) {
  return (
    <PageSkeleton label={label}>
      {Array.from({ length: forms }, (_, i) => (
        <FormCardSkeleton key={i} fields={1} />
      ))}
      {table && <TableCardSkeleton rows={3} cols={4} />}
    </PageSkeleton>
  );
}

/** A run's page: breadcrumb, header, the outcome and the per-table progress. */
export function RunSkeleton() {
  return (
    <div role="status" aria-label="Loading the run" data-testid="page-skeleton">
      <span className="sr-only">Loading the run</span>
      <Skeleton className="mb-3 h-4 w-32" />
      <div className="mb-6 space-y-2">
        <Skeleton className="h-7 w-64 max-w-full" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <div className="space-y-6">
        <div className="space-y-3 rounded-lg bg-white px-5 py-4 shadow-sm ring-1 ring-slate-200">
          <Skeleton className="h-5 w-56 max-w-full" />
          <Skeleton className="h-4 w-full max-w-lg" />
        </div>
        <TableCardSkeleton rows={4} cols={3} />
      </div>
    </div>
  );
}

/** A workflow's tab (inside its layout, which shows the breadcrumb and tabs). */
export function WorkflowTabSkeleton() {
  return (
    <PageSkeleton label="Loading the workflow" actions>
      <FormCardSkeleton fields={2} />
      <TableCardSkeleton rows={5} cols={3} />
    </PageSkeleton>
  );
}
