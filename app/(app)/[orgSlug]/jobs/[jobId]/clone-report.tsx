import { Badge } from "@/app/_components/badge";
import { Card, CardBody, CardHeader } from "@/app/_components/card";
import { Table, TBody, Td, Th, THead } from "@/app/_components/table";
import type { CloneReport } from "@/lib/pipeline/types";
import { ruleNameLabel } from "@/lib/redaction/describe-rule";
import { bytes, count, duration } from "../_components/format";

// A finished clone's report in plain words: per table what was copied and how, the privacy
// check, where the output went, customizations applied and schema objects left out.

export function CloneReportView({ report }: { report: CloneReport }) {
  const pc = report.privacyCheck;
  return (
    <div className="space-y-6" data-testid="clone-report">
      <Card>
        <CardHeader
          title="Tables"
          description={`${report.delta ? (report.delta.run === "delta" ? "Delta run · " : `Full run${report.delta.reason ? ` (${report.delta.reason})` : ""} · `) : ""}${count(report.totals.rowsWritten)} rows written from ${count(report.totals.rowsRead)} read · ${bytes(report.totals.bytes)} · ${duration(report.totals.durationMs)}`}
        />
        <Table caption="Tables copied" stack>
          <THead>
            <Th>Table</Th>
            <Th>Mode</Th>
            <Th className="text-right">Rows copied</Th>
            <Th className="text-right">Filtered out</Th>
            <Th className="text-right">Kept for references</Th>
            <Th>Rules</Th>
          </THead>
          <TBody>
            {report.tables.map((t) => (
              <tr key={`${t.schema}.${t.table}`} data-testid="report-table" data-table={`${t.schema}.${t.table}`} data-rows={t.rowsWritten}>
                <Td className="font-medium text-slate-900">
                  {t.schema}.{t.table}
                </Td>
                <Td label="Mode">
                  <span data-testid="table-mode">{t.mode === "delta" ? "Delta" : "Full"}</span>
                  {t.fullReason ? <p className="text-xs text-slate-500">{t.fullReason}</p> : null}
                  {t.watermark?.from ? <p className="text-xs text-slate-500">changes since {t.watermark.from}</p> : null}
                </Td>
                <Td label="Rows copied" className="text-right tabular-nums">
                  {count(t.rowsWritten)}
                  {t.rowsInserted !== undefined ? (
                    <p className="text-xs text-slate-500" data-testid="table-changes">
                      {count(t.rowsInserted)} inserted · {count(t.rowsUpdated ?? 0)} updated · {count(t.rowsDeleted ?? 0)} deleted
                    </p>
                  ) : null}
                </Td>
                <Td label="Filtered out" className="text-right text-slate-500 tabular-nums">{count(t.rowsFiltered)}</Td>
                <Td label="Kept for references" className="text-right text-slate-500 tabular-nums">{count(t.rowsKeptForReferences)}</Td>
                <Td label="Rules">
                  {t.rules.length === 0 ? (
                    <span className="text-slate-400">Copied unchanged</span>
                  ) : (
                    <ul className="space-y-0.5 text-xs">
                      {t.rules.map((r) => (
                        <li key={r.column}>
                          <span className="font-medium text-slate-800">{r.column}</span>: {r.description ?? ruleNameLabel(r.rule)}
                          {r.detail ? <span className="text-slate-500"> ({r.detail})</span> : null}
                        </li>
                      ))}
                    </ul>
                  )}
                </Td>
              </tr>
            ))}
          </TBody>
        </Table>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2 [&>*]:min-w-0">
        <Card>
          <CardHeader title="Privacy check" description="Sampled source values of every redacted column were looked for in the output." />
          <CardBody className="space-y-2 text-sm">
            <p data-testid="privacy-check" data-passed={pc.passed}>
              {pc.passed ? <Badge tone="green">Passed</Badge> : <Badge tone="red">Failed</Badge>}{" "}
              <span className="text-slate-600">
                {count(pc.valuesChecked)} values in {count(pc.columnsChecked)} columns checked.
                {pc.unchecked ? ` ${count(pc.unchecked)} redacted column${pc.unchecked === 1 ? " was" : "s were"} not checked (see below).` : ""}
              </span>
            </p>
            {pc.leaks.length > 0 && (
              <ul className="list-disc pl-5 text-red-800">
                {pc.leaks.map((l) => (
                  <li key={`${l.schema}.${l.table}.${l.column}.${l.output}`}>
                    {l.table}.{l.column}: {count(l.count)} source value(s) found in the {l.output === "s3" ? "S3 files" : "target"}
                  </li>
                ))}
              </ul>
            )}
            {pc.columns?.some((c) => c.method === "skipped") && (
              <ul className="list-disc pl-5 text-slate-500">
                {pc.columns.filter((c) => c.method === "skipped").map((c) => (
                  <li key={`${c.schema}.${c.table}.${c.column}`}>
                    {c.table}.{c.column} not checked{c.reason ? `: ${c.reason}` : ""}
                  </li>
                ))}
              </ul>
            )}
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Outputs" />
          <CardBody className="space-y-3 text-sm text-slate-700">
            {report.outputs.target && (
              <p>
                Digital twin <span className="font-medium break-all text-slate-900">{report.outputs.target.database}</span>, schema{report.outputs.target.schemas.length > 1 ? "s" : ""}{" "}
                {report.outputs.target.schemas.join(", ")}
              </p>
            )}
            {report.outputs.s3 && (
              <div>
                <p>
                  S3 <span className="font-medium break-all text-slate-900">s3://{report.outputs.s3.bucket}/{report.outputs.s3.prefix}</span>
                </p>
                <ul className="mt-1 space-y-0.5 text-xs">
                  {report.outputs.s3.objects.map((o) => (
                    <li key={o.key} className="flex justify-between gap-4">
                      <span className="truncate font-mono">{o.key}</span>
                      <span className="shrink-0 text-slate-500 tabular-nums">
                        {count(o.rows)} rows · {bytes(o.bytes)}
                      </span>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {report.valuesUsed && report.valuesUsed.length > 0 && (
              <div>
                <p className="font-medium text-slate-900">Values used</p>
                <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-4 gap-y-0.5" data-testid="values-used">
                  {report.valuesUsed.map((v) => (
                    <div key={v.name} className="contents" data-testid="value-used" data-name={v.name}>
                      <dt className="text-slate-500">{v.label}</dt>
                      <dd className="break-words text-slate-900">{v.value === null || v.value === "" ? <span className="text-slate-400">(empty)</span> : String(v.value)}</dd>
                    </div>
                  ))}
                </dl>
              </div>
            )}
            {report.customizations.length > 0 && (
              <div>
                <p className="font-medium text-slate-900">Customizations applied</p>
                <ul className="mt-1 space-y-0.5" data-testid="customizations-applied">
                  {report.customizations.map((c) => (
                    <li key={c.name}>
                      {c.name}: {count(c.rowsAffected)} row{c.rowsAffected === 1 ? "" : "s"} changed
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {report.skipped.length > 0 && (
              <div>
                <p className="font-medium text-slate-900">Left out</p>
                <ul className="mt-1 space-y-0.5 text-slate-600">
                  {report.skipped.map((s) => (
                    <li key={`${s.kind}:${s.name}`}>
                      {s.kind} {s.name}: {s.reason}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </CardBody>
        </Card>
      </div>
    </div>
  );
}
