import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Alert } from "@/app/_components/alert";
import { Badge } from "@/app/_components/badge";
import { buttonClass } from "@/app/_components/button";
import { Card, CardHeader } from "@/app/_components/card";
import { EmptyState } from "@/app/_components/empty-state";
import { controlClass } from "@/app/_components/field";
import { PageHeader } from "@/app/_components/page-header";
import { Table, TBody, Td, Th, THead } from "@/app/_components/table";
import { scanCoverage } from "@/lib/pii/workflow-coverage";
import { PII_CATEGORY_INFO } from "@/lib/pii/types";
import { prisma } from "@/lib/server/db";
import { AppError } from "@/lib/server/errors";
import { requireOrgPermission } from "@/lib/server/org-context";
import { getScanResult, workflowsForSource } from "@/lib/server/services/scans/scan-result";
import { count, utc } from "../../jobs/_components/format";
import { AddRuleButton } from "../scan-buttons";

export const metadata: Metadata = { title: "Scan results" };

const confidenceTone = (c: number) => (c >= 0.8 ? "red" : c >= 0.5 ? "amber" : "gray");

export default async function ScanResultPage({ params, searchParams }: { params: Promise<{ orgSlug: string; jobId: string }>; searchParams: Promise<{ workflow?: string }> }) {
  const { orgSlug, jobId } = await params;
  const ctx = await requireOrgPermission(orgSlug, "connection", "read");
  const scan = await getScanResult({ orgId: ctx.org.id, jobId }).catch((err) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  const connection = scan.connectionId ? await prisma.connection.findFirst({ where: { id: scan.connectionId, orgId: ctx.org.id }, select: { name: true } }) : null;
  const workflows = scan.connectionId ? await workflowsForSource({ orgId: ctx.org.id, connectionId: scan.connectionId }) : [];
  const { workflow: wanted } = await searchParams;
  const chosen = workflows.find((w) => w.id === wanted) ?? workflows[0] ?? null;
  const result = scan.result;
  const canAdd = ctx.can("workflow", "update");
  if (!result) {
    return (
      <>
        <PageHeader title={`Scan of ${connection?.name ?? "a deleted connection"}`} />
        <Alert tone="info" title="No results yet">
          This scan has not finished successfully. <Link href={`/${ctx.org.slug}/jobs/${scan.jobId}`} className="underline">See its progress</Link>.
        </Alert>
      </>
    );
  }
  const coverage = scanCoverage(result, chosen?.tables ?? []);
  const byTable = result.tables.filter((t) => t.columns.length > 0);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <Link href={`/${ctx.org.slug}/scan`} className="hover:text-slate-800">
          PII scanner
        </Link>
      </nav>
      <PageHeader
        title={`Scan of ${connection?.name ?? "a deleted connection"}`}
        description={`${utc(result.scannedAt)} · ${result.totals.columnsFlagged} of ${result.totals.columnsScanned} columns in ${result.totals.tables} tables look like personal data · up to ${result.sampleSize} values sampled per column`}
      />
      <div className="space-y-6">
        <Card>
          {workflows.length === 0 ? (
            <p className="px-5 py-4 text-sm text-slate-600">
              No workflow copies from this connection yet.{" "}
              <Link href={`/${ctx.org.slug}/workflows`} className="font-medium text-brand-700 hover:underline">
                Create one
              </Link>{" "}
              to add the suggested rules with one click.
            </p>
          ) : (
            <form method="get" className="flex flex-wrap items-end gap-3 px-5 py-4">
              <label className="space-y-1 text-sm font-medium text-slate-800">
                <span className="block">Compare with workflow</span>
                <select name="workflow" defaultValue={chosen?.id} className={`${controlClass} w-72`}>
                  {workflows.map((w) => (
                    <option key={w.id} value={w.id}>
                      {w.name}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" className={buttonClass("secondary")}>
                Show
              </button>
              <p className="text-sm text-slate-500">Columns the workflow already redacts are marked; add a suggested rule with one click.</p>
            </form>
          )}
        </Card>
        {byTable.length === 0 && (
          <Card>
            <EmptyState title="No personal data found" description="No sampled column looked like personal data. Columns the scanner could not read are listed below." />
          </Card>
        )}
        {byTable.map((t) => (
          <Card key={`${t.schema}.${t.table}`}>
            <CardHeader
              title={`${t.schema}.${t.table}`}
              description={`${t.columns.length} column${t.columns.length === 1 ? "" : "s"} flagged${t.rowsEstimate !== null ? ` · about ${count(Math.max(0, Math.round(t.rowsEstimate)))} rows` : ""}${t.clean.length ? ` · ${t.clean.length} clean` : ""}`}
            />
            <Table caption={`Columns of ${t.table} that look like personal data`}>
              <THead>
                <Th>Column</Th>
                <Th>Looks like</Th>
                <Th>Confidence</Th>
                <Th>Examples (masked)</Th>
                <Th className="text-right">{chosen ? chosen.name : "Workflow"}</Th>
              </THead>
              <TBody>
                {t.columns.map((c) => {
                  const cov = coverage.find((x) => x.schema === t.schema && x.table === t.table && x.column === c.column);
                  return (
                    <tr key={c.column} data-testid="scan-column" data-column={`${t.table}.${c.column}`} data-category={c.category}>
                      <Td>
                        <div className="font-medium text-slate-900">{c.column}</div>
                        <div className="text-xs text-slate-500">{c.dataType}</div>
                      </Td>
                      <Td>
                        <div className="text-slate-900">{PII_CATEGORY_INFO[c.category].label}</div>
                        <div className="text-xs text-slate-500">{PII_CATEGORY_INFO[c.category].hipaa}</div>
                      </Td>
                      <Td>
                        <Badge tone={confidenceTone(c.confidence)}>{Math.round(c.confidence * 100)}%</Badge>
                        <div className="mt-1 text-xs text-slate-500">
                          {c.matches} of {c.sampled} values match
                        </div>
                      </Td>
                      <Td>
                        <ul className="space-y-0.5 font-mono text-xs text-slate-600">
                          {c.examples.slice(0, 3).map((e, i) => (
                            <li key={i} className="max-w-[14rem] truncate">
                              {e}
                            </li>
                          ))}
                        </ul>
                      </Td>
                      <Td className="text-right">
                        {!chosen ? (
                          <span className="text-xs text-slate-400">—</span>
                        ) : cov?.rule ? (
                          <span data-testid="covered">
                            <Badge tone="green">Covered: {cov.rule.rule}</Badge>
                          </span>
                        ) : c.suggestedRule && canAdd ? (
                          <AddRuleButton orgSlug={ctx.org.slug} jobId={scan.jobId} workflowId={chosen.id} schema={t.schema} table={t.table} column={c.column} rule={c.suggestedRule.rule} />
                        ) : (
                          <span className="text-xs text-slate-500">{c.suggestedRule ? "Not covered" : "No rule fits: choose one in the editor"}</span>
                        )}
                        {cov && !cov.tableSelected && !cov.rule && <div className="mt-1 text-xs text-slate-500">Table not copied yet: adding the rule adds it</div>}
                      </Td>
                    </tr>
                  );
                })}
              </TBody>
            </Table>
          </Card>
        ))}
        {result.skipped.length > 0 && (
          <Card>
            <CardHeader title="Not scanned" />
            <ul className="space-y-1 px-5 py-4 text-sm text-slate-600">
              {result.skipped.map((s, i) => (
                <li key={i}>
                  {s.schema}.{s.table}
                  {s.column ? `.${s.column}` : ""}: {s.reason}
                </li>
              ))}
            </ul>
          </Card>
        )}
      </div>
    </>
  );
}
