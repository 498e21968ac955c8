import { buttonClass } from "@/app/_components/button";
import { controlClass } from "@/app/_components/field";
import { JOB_STATUSES, type TJobFilter } from "@/lib/server/services/jobs/list-jobs";
import { STATUS_LABELS } from "./format";

// A plain GET form: works without JavaScript and with the keyboard; the URL keeps the filter.
export function JobFilters({ action, filter, workflows }: { action: string; filter: TJobFilter; workflows?: { id: string; name: string }[] }) {
  return (
    <form method="get" action={action} className="flex flex-wrap items-end gap-3 border-b border-slate-200 px-5 py-3" aria-label="Filter runs">
      <label className="space-y-1 text-xs font-medium text-slate-600">
        <span className="block">Status</span>
        <select name="status" defaultValue={filter.status ?? ""} className={`${controlClass} w-40 py-1.5`}>
          <option value="">All statuses</option>
          {JOB_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      {workflows && (
        <label className="space-y-1 text-xs font-medium text-slate-600">
          <span className="block">Workflow</span>
          <select name="workflowId" defaultValue={filter.workflowId ?? ""} className={`${controlClass} w-56 py-1.5`}>
            <option value="">All workflows</option>
            {workflows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" className={buttonClass("secondary", "sm")}>
        Apply
      </button>
    </form>
  );
}

export function Pager({ base, filter, hasNext }: { base: string; filter: TJobFilter; hasNext: boolean }) {
  const href = (page: number) => {
    const q = new URLSearchParams();
    if (filter.status) q.set("status", filter.status);
    if (filter.workflowId) q.set("workflowId", filter.workflowId);
    if (page > 1) q.set("page", String(page));
    const s = q.toString();
    return s ? `${base}?${s}` : base;
  };
  if (filter.page === 1 && !hasNext) return null;
  return (
    <nav aria-label="Pages" className="flex items-center justify-between border-t border-slate-200 px-5 py-3 text-sm">
      <span className="text-slate-500">Page {filter.page}</span>
      <div className="flex gap-2">
        {filter.page > 1 && (
          <a href={href(filter.page - 1)} className={buttonClass("secondary", "sm")}>
            Newer
          </a>
        )}
        {hasNext && (
          <a href={href(filter.page + 1)} className={buttonClass("secondary", "sm")}>
            Older
          </a>
        )}
      </div>
    </nav>
  );
}
