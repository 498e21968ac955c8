import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Alert } from "@/app/_components/alert";
import { Badge } from "@/app/_components/badge";
import { Card, CardHeader } from "@/app/_components/card";
import { PageHeader } from "@/app/_components/page-header";
import { RelativeTime } from "@/app/_components/relative-time";
import type { TWorkflowConfig } from "@/lib/schemas/workflow";
import { AppError } from "@/lib/server/errors";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { listJobs } from "@/lib/server/services/jobs/list-jobs";
import { listConnectionNames } from "@/lib/server/services/connections/list-connections";
import { getEditorCatalog, RULE_INFO } from "@/lib/server/services/workflows/editor-catalog";
import { getWorkflow } from "@/lib/server/services/workflows/get-workflow";
import { listWorkflowVersions } from "@/lib/server/services/workflows/list-workflow-versions";
import { type EditorConfig, WorkflowEditor } from "../_editor/workflow-editor";
import { DriftBanner } from "./_drift/drift-banner";
import { DeleteWorkflowButton } from "./delete-workflow-button";
import { RunHistoryChart } from "./run-history-chart";
import { RunNowButton } from "./run-now-button";

export const metadata: Metadata = { title: "Workflow" };

/**
 * The client editor gets no customizations (their SQL is for admins only) nor run options:
 * whatever a client component receives is in the page's RSC payload. saveWorkflow carries them over.
 */
function forEditor(config: TWorkflowConfig | null): EditorConfig | null {
  if (!config) return null;
  const { customizations: _customizations, options: _options, ...rest } = config;
  return rest;
}

export default async function WorkflowPage({ params, searchParams }: { params: Promise<{ orgSlug: string; id: string }>; searchParams: Promise<{ saved?: string; draft?: string }> }) {
  const { orgSlug, id } = await params;
  const ctx = await requireOrgPermission(orgSlug, "workflow", "read");
  const wf = await getWorkflow({ orgId: ctx.org.id, workflowId: id }).catch((err) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  const [connections, versions, catalog, runs] = await Promise.all([
    listConnectionNames({ orgId: ctx.org.id }),
    listWorkflowVersions({ orgId: ctx.org.id, workflowId: wf.id }),
    wf.config ? getEditorCatalog({ orgId: ctx.org.id, connectionId: wf.config.sourceConnectionId }).catch(() => null) : Promise.resolve(null),
    ctx.can("job", "read") ? listJobs({ orgId: ctx.org.id, filter: { workflowId: wf.id, kind: "CLONE", page: 1 } }) : Promise.resolve(null),
  ]);
  const { saved, draft } = await searchParams;
  const toReview = Number(draft) || 0;

  const readOnly = !ctx.can("workflow", "update");
  return (
    <>
      <PageHeader
        title={wf.name}
        description={
          <>
            Version {wf.currentVersion}
            {versions[0] && (
              <>
                , saved <RelativeTime date={versions[0].createdAt} /> by {versions[0].author}
              </>
            )}
            .
          </>
        }
        actions={
          wf.migrationDryRun ? (
            <Badge tone="violet">Migration dry-run: started from CI</Badge>
          ) : ctx.can("workflow", "run") && wf.config ? (
            <RunNowButton orgSlug={ctx.org.slug} workflowId={wf.id} />
          ) : undefined
        }
      />
      <div className="space-y-6">
        {saved && !toReview && <Alert tone="success">Workflow created (version {saved}). Press Run now to make the first copy.</Alert>}
        {saved && toReview > 0 && (
          <Alert tone="warning" title={`Saved as a draft: ${toReview} ${toReview === 1 ? "column" : "columns"} to review`}>
            A draft does not run. Give each column marked “to review” below a rule or “Keep as is”, then save.
          </Alert>
        )}
        {!wf.config && <Alert tone="warning" title="This workflow's saved configuration cannot be read">Set it up again below and save: that makes a new version.</Alert>}
        <DriftBanner orgId={ctx.org.id} orgSlug={ctx.org.slug} workflowId={wf.id} />
        {runs && <RunHistoryChart orgSlug={ctx.org.slug} runs={runs.items} />}
        <div id="editor" className="scroll-mt-4">
          <WorkflowEditor
            orgSlug={ctx.org.slug}
            workflow={{ id: wf.id, version: wf.currentVersion }}
            initial={{ name: wf.name, config: forEditor(wf.config), schedule: { enabled: wf.scheduleEnabled, cron: wf.cron ?? "" }, migrationDryRun: wf.migrationDryRun }}
            connections={connections}
            catalog={catalog}
            ruleInfo={RULE_INFO}
            readOnly={readOnly}
            canSeeConnections={ctx.can("connection", "read")}
          />
        </div>
        <Card>
          <CardHeader title="History" description="Every save is a new version; a run uses the version that was current when it started." />
          <ol className="divide-y divide-slate-100" data-testid="version-history">
            {versions.map((v) => (
              <li key={v.version} className="flex flex-wrap gap-x-6 gap-y-1 px-5 py-3 text-sm" data-testid="version-row" data-version={v.version}>
                <div className="w-48 shrink-0">
                  <p className="font-medium text-slate-900">Version {v.version}</p>
                  <p className="text-xs text-slate-500">
                    <RelativeTime date={v.createdAt} /> · {v.author}
                  </p>
                </div>
                <ul className="min-w-0 flex-1 space-y-0.5 text-slate-600">
                  {v.changes.map((c) => (
                    <li key={c}>{c}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </Card>
        {ctx.can("workflow", "delete") && (
          <Card>
            <CardHeader title="Delete workflow" description="Deletes its versions and run history. The twin database and exported files stay as they are." />
            <div className="px-5 py-4">
              <DeleteWorkflowButton orgSlug={ctx.org.slug} workflowId={wf.id} name={wf.name} />
            </div>
          </Card>
        )}
      </div>
    </>
  );
}
