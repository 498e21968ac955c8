"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, useTransition } from "react";
import { Alert } from "@/app/_components/alert";
import { Button } from "@/app/_components/button";
import { Card, CardBody, CardHeader } from "@/app/_components/card";
import { Input, Select } from "@/app/_components/field";
import { RelativeTime } from "@/app/_components/relative-time";
import { useToast } from "@/app/_components/toast";
import { unreviewedColumns } from "@/lib/redaction/review";
import type { TWorkflowConfig } from "@/lib/schemas/workflow";
import { refreshTablesAction } from "../../connections/actions";
import { saveWorkflowAction, sourceCatalogAction } from "../actions";
import { type ConnectionOption, type EditorCatalog, type Errors, followedKeys, type RuleInfo, tableId, type TableSel } from "./editor-types";
import { DeltaSettings } from "./delta-settings";
import { type SavedDelta, withoutRefusedSoftDeletes, withSuggestedChangeColumns } from "./delta-logic";
import { RulesPanel } from "./rules-panel";
import { ScheduleField, type ScheduleValue } from "./schedule-field";
import { TableBrowser } from "./table-browser";
import { useScanner } from "./use-scanner";

/** What the editor gets of a saved config: the server keeps customizations and options on save. */
export type EditorConfig = Omit<TWorkflowConfig, "customizations" | "options">;

export type EditorProps = {
  orgSlug: string;
  workflow: { id: string; version: number } | null;
  /** The config without customizations and run options (edited elsewhere; SQL is for admins only). */
  initial: { name: string; config: EditorConfig | null; schedule: ScheduleValue; migrationDryRun: boolean };
  connections: ConnectionOption[];
  catalog: EditorCatalog | null;
  ruleInfo: RuleInfo;
  readOnly: boolean;
  /** Admins: may refresh the table list and reveal preview originals. */
  canSeeConnections: boolean;
};

const first = (errors: Errors, key: string) => errors[key]?.[0];

export function WorkflowEditor(props: EditorProps) {
  const { orgSlug, readOnly, connections } = props;
  const router = useRouter();
  const init = props.initial.config;
  const [name, setName] = useState(props.initial.name);
  // A new workflow may start from the only source there is (the page passes its table list).
  const [sourceId, setSourceId] = useState(init?.sourceConnectionId ?? props.catalog?.connectionId ?? "");
  const [catalog, setCatalog] = useState<EditorCatalog | null>(props.catalog);
  const [tables, setTables] = useState<TableSel[]>(() => (init?.tables ?? []).map((t) => ({ schema: t.schema, table: t.table, filter: t.filter, rules: t.rules, ...(t.delta ? { delta: t.delta } : {}) })));
  const [target, setTarget] = useState(init?.outputs.target ?? null);
  const [s3, setS3] = useState(init?.outputs.s3 ?? null);
  const [schedule, setSchedule] = useState<ScheduleValue>(props.initial.schedule);
  const [migrationDryRun, setMigrationDryRun] = useState(props.initial.migrationDryRun);
  const [version, setVersion] = useState(props.workflow?.version);
  const [errors, setErrors] = useState<Errors>({});
  const [formMessage, setFormMessage] = useState<{ tone: "error" | "warning"; text: string; details?: string[] }>();
  const toast = useToast();
  const [saving, startSave] = useTransition();
  const [loadingCatalog, setLoadingCatalog] = useState<"loading" | "refreshing" | null>(null);
  const [catalogError, setCatalogError] = useState<string>();

  const pg = connections.filter((c) => c.kind === "POSTGRES");
  const s3s = connections.filter((c) => c.kind === "S3");
  const selected = useMemo(() => new Set(tables.map(tableId)), [tables]);
  const follows = useMemo(() => followedKeys(tables, catalog), [tables, catalog]);
  const byId = useMemo(() => new Map((catalog?.tables ?? []).map((t) => [tableId(t), t])), [catalog]);
  // Privacy by default: the columns nobody has decided on (the same function as the save and the run).
  const unreviewed = useMemo(() => new Map(unreviewedColumns(tables, catalog?.tables ?? []).map((u) => [`${u.schema}.${u.table}`, u.columns])), [tables, catalog]);
  const unreviewedTotal = [...unreviewed.values()].reduce((n, c) => n + c.length, 0);
  const tablesRef = useRef(tables);
  tablesRef.current = tables;
  const scanner = useScanner({ orgSlug, connectionId: sourceId, catalog, tables: tablesRef, setTables, enabled: props.canSeeConnections && !readOnly });

  async function loadCatalog(connectionId: string) {
    setLoadingCatalog("loading");
    setCatalogError(undefined);
    const res = await sourceCatalogAction(orgSlug, { connectionId });
    setLoadingCatalog(null);
    if (res.ok) setCatalog(res.data);
    else setCatalogError(res.error.message);
  }

  async function refreshTables() {
    if (!sourceId) return;
    setLoadingCatalog("refreshing");
    setCatalogError(undefined);
    const started = await refreshTablesAction(orgSlug, { connectionId: sourceId });
    if (!started.ok) {
      setLoadingCatalog(null);
      setCatalogError(started.error.message);
      return;
    }
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      const res = await fetch(`/${orgSlug}/connections/${sourceId}/status`, { cache: "no-store" }).catch(() => null);
      if (!res) continue;
      const body = await res.json().catch(() => null);
      if (!res.ok) {
        setLoadingCatalog(null);
        setCatalogError(body?.error?.message ?? "Could not read the status of the table listing.");
        return;
      }
      const job = body?.introspect as { id: string; status: string; error: { message: string; hint: string } | null } | null;
      if (job?.id !== started.data.jobId) continue;
      if (job.status === "SUCCEEDED") return loadCatalog(sourceId);
      if (job.status === "FAILED" || job.status === "CANCELED") {
        setLoadingCatalog(null);
        setCatalogError(`${job.error?.message ?? "Listing the tables failed."} ${job.error?.hint ?? ""}`.trim());
        return;
      }
    }
    setLoadingCatalog(null);
    setCatalogError("Listing the tables is taking long: is a worker running? The list appears here once it is done; reload the page later.");
  }

  function chooseSource(id: string) {
    setSourceId(id);
    setTables([]);
    scanner.reset();
    setCatalog(null);
    if (id) void loadCatalog(id);
  }

  function toggleTables(ids: string[], on: boolean) {
    const prev = tablesRef.current;
    if (!on) {
      setTables(prev.filter((t) => !ids.includes(tableId(t))));
      return;
    }
    const have = new Set(prev.map(tableId));
    const added = ids.filter((id) => !have.has(id) && byId.has(id)).map((id) => {
      const t = byId.get(id)!;
      return { schema: t.schema, table: t.name, filter: { kind: "all" as const }, rules: {} };
    });
    // With delta updates on, a table chosen now gets its suggested change column too.
    const next = [...prev, ...(target?.delta ? withSuggestedChangeColumns(added, byId) : added)].sort((a, b) => tableId(a).localeCompare(tableId(b)));
    tablesRef.current = next;
    setTables(next);
    // The scanner fills the editor: sample the tables just chosen and pre-select its suggestions.
    if (added.length) scanner.queue(added);
  }

  // Leaving with unsaved changes asks first (the browser's own prompt).
  const draft = JSON.stringify({ name, sourceId, tables, target, s3, schedule, migrationDryRun });
  const [savedDraft, setSavedDraft] = useState(draft);
  const dirty = !readOnly && draft !== savedDraft;
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  function save() {
    startSave(async () => {
      setFormMessage(undefined);
      const config = {
        version: 1,
        sourceConnectionId: sourceId,
        tables: withoutRefusedSoftDeletes(tables, byId),
        outputs: { ...(target ? { target } : {}), ...(s3 ? { s3 } : {}) },
      };
      const res = await saveWorkflowAction(orgSlug, { workflowId: props.workflow?.id, baseVersion: version, name, schedule, migrationDryRun, config });
      if (res.ok) {
        setErrors({});
        setSavedDraft(draft);
        // A version with unreviewed columns is stored as a draft (a run refuses it): say so.
        const toReview = unreviewedTotal;
        if (!props.workflow) {
          router.push(`/${orgSlug}/workflows/${res.data.id}?saved=${res.data.version}${toReview ? `&draft=${toReview}` : ""}`);
          return;
        }
        setVersion(res.data.version);
        toast(toReview ? `Saved as draft version ${res.data.version}.` : `Saved as version ${res.data.version}.`);
        if (toReview) setFormMessage({ tone: "warning", text: `${toReview} ${toReview === 1 ? "column" : "columns"} to review: a draft does not run.` });
        router.refresh();
      } else {
        const fe = (res.error.fieldErrors ?? {}) as Errors;
        setErrors(fe);
        setFormMessage({ tone: "error", text: res.error.message, details: Object.values(fe).flatMap((v) => v ?? []) });
      }
    });
  }

  // Delta updates on the target: turning them on suggests each table's change column; off removes them (the schema refuses a change column without).
  function setDelta(delta: NonNullable<typeof target>["delta"]) {
    setTarget((t) => (t ? { connectionId: t.connectionId, keepOwnership: t.keepOwnership, ...(delta ? { delta } : {}) } : t));
    setTables((prev) => (delta ? withSuggestedChangeColumns(prev, byId) : prev.map(({ delta: _, ...t }) => t)));
  }

  const sourceName = pg.find((c) => c.id === sourceId)?.name;
  // The saved version (the props follow a save through router.refresh): tells whether the next delta run starts over.
  const savedTarget = props.initial.config?.outputs.target;
  const savedDelta: SavedDelta = savedTarget ? { targetConnectionId: savedTarget.connectionId, deltaOn: !!savedTarget.delta, tables: (props.initial.config?.tables ?? []).map(tableId) } : null;
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader title="Name and source" description="The database the tables are copied from. Doppel only reads from it." />
        <CardBody className="grid gap-5 sm:grid-cols-2">
          <Input label="Workflow name" value={name} onChange={(e) => setName(e.target.value)} disabled={readOnly} error={first(errors, "name")} placeholder="Nightly twin of production" />
          <Select label="Source database" value={sourceId} onChange={(e) => chooseSource(e.target.value)} disabled={readOnly} error={first(errors, "sourceConnectionId")}
            hint={pg.length === 0 ? (props.canSeeConnections ? "Add a PostgreSQL connection first (Connections)." : "An admin has to add a database connection first.") : undefined}
          >
            <option value="">Choose a connection…</option>
            {pg.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
        </CardBody>
      </Card>

      <Card>
        <CardHeader
          title="Tables"
          description={
            catalog?.introspectedAt ? (
              <>
                Table list of {sourceName ?? "the source"} read <RelativeTime date={catalog.introspectedAt} />.
              </>
            ) : (
              "Choose the tables to copy; rules say what happens to personal data in each column."
            )
          }
          actions={
            sourceId && props.canSeeConnections && !readOnly ? (
              <Button type="button" variant="secondary" size="sm" pending={loadingCatalog === "refreshing"} onClick={() => void refreshTables()}>
                {catalog?.introspectedAt ? "Refresh table list" : "List tables"}
              </Button>
            ) : undefined
          }
        />
        <CardBody className="space-y-4">
          {first(errors, "tables") && (
            <p className="text-sm text-red-700" role="alert" data-field="tables">
              {first(errors, "tables")}
            </p>
          )}
          {catalogError && <Alert tone="error">{catalogError}</Alert>}
          {!sourceId ? (
            <p className="text-sm text-slate-500">Choose the source database first.</p>
          ) : loadingCatalog ? (
            <p className="text-sm text-slate-500" role="status">
              {loadingCatalog === "refreshing" ? "Reading the source's tables on a worker…" : "Loading the table list…"}
            </p>
          ) : catalog && catalog.introspectedAt ? (
            <TableBrowser catalog={catalog} selected={selected} onToggle={toggleTables} disabled={readOnly} />
          ) : (
            <p className="text-sm text-slate-500">
              {props.canSeeConnections ? "The tables of this source have not been listed yet: press “List tables”." : "The tables of this source have not been listed yet: ask an admin to list them."}
            </p>
          )}
        </CardBody>
      </Card>

      {tables.length > 0 && (
        <RulesPanel
          orgSlug={orgSlug}
          workflowId={props.workflow?.id}
          connectionId={sourceId}
          tables={tables}
          byId={byId}
          selected={selected}
          follows={follows}
          unreviewed={unreviewed}
          suggestions={scanner.suggestions}
          suggested={scanner.suggested}
          scan={{ running: scanner.running, note: scanner.note, canScan: props.canSeeConnections && !readOnly }}
          ruleInfo={props.ruleInfo}
          errors={errors}
          readOnly={readOnly}
          canReveal={props.canSeeConnections}
          onTable={(id, next) => setTables((prev) => prev.map((x) => (tableId(x) === id ? next : x)))}
          onAccept={scanner.accept}
          onRemove={(id) => toggleTables([id], false)}
          onApplyAll={scanner.applyAll}
          onScan={() => void scanner.scanRest(tables)}
        />
      )}

      <Card>
        <CardHeader title="Outputs" description="Where the redacted copy goes: a twin database, CSV files in S3, or both." />
        <CardBody className="space-y-5">
          {first(errors, "outputs") && (
            <p className="text-sm text-red-700" role="alert" data-field="outputs">
              {first(errors, "outputs")}
            </p>
          )}
          <div className="grid gap-5 sm:grid-cols-2">
            <Select
              label="Twin database (target)"
              value={target?.connectionId ?? ""}
              disabled={readOnly}
              onChange={(e) => {
                setTarget(e.target.value ? { connectionId: e.target.value, keepOwnership: target?.keepOwnership ?? false, ...(target?.delta ? { delta: target.delta } : {}) } : null);
                if (!e.target.value) {
                  setMigrationDryRun(false);
                  setDelta(undefined);
                }
              }}
              error={first(errors, "outputs/target/connectionId")}
              hint="Its copies of the selected tables are replaced at the end of each run, all at once."
            >
              <option value="">None</option>
              {pg.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
            {target && (
              <label className="flex items-start gap-2 pt-8 text-sm text-slate-700">
                <input type="checkbox" className="mt-0.5 size-4" checked={target.keepOwnership} disabled={readOnly} onChange={(e) => setTarget({ ...target, keepOwnership: e.target.checked })} />
                Keep the source&apos;s table owners and grants (the roles must exist on the target)
              </label>
            )}
          </div>
          {target && (
            <div>
              <label className="flex items-start gap-2 text-sm text-slate-700">
                <input type="checkbox" className="mt-0.5 size-4" checked={migrationDryRun} disabled={readOnly} onChange={(e) => setMigrationDryRun(e.target.checked)} aria-describedby="dry-run-help" />
                <span>
                  <span className="font-medium text-slate-800">Migration dry-run (for CI)</span>
                  <span id="dry-run-help" className="block text-slate-500">
                    Each run clones into the target, then applies the migration SQL sent with the run (<code>doppel run --migration-file</code> or the run API) and reports each statement&apos;s time, locks and the schema diff.
                  </span>
                </span>
              </label>
              {first(errors, "migrationDryRun") && (
                <p className="mt-1 text-sm text-red-700" role="alert">
                  {first(errors, "migrationDryRun")}
                </p>
              )}
            </div>
          )}
          {target && (
            <DeltaSettings
              delta={target.delta}
              hasS3={!!s3}
              tables={tables}
              byId={byId}
              saved={savedDelta}
              targetConnectionId={target.connectionId}
              errors={errors}
              readOnly={readOnly}
              onDelta={setDelta}
              onTable={(id, next) => setTables((prev) => prev.map((x) => (tableId(x) === id ? next : x)))}
            />
          )}
          <div className="grid gap-5 sm:grid-cols-2">
            <Select label="S3 bucket (CSV export)" value={s3?.connectionId ?? ""} disabled={readOnly} onChange={(e) => setS3(e.target.value ? { connectionId: e.target.value, prefix: s3?.prefix ?? "" } : null)} error={first(errors, "outputs/s3/connectionId")}>
              <option value="">None</option>
              {s3s.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
            {s3 && (
              <Input label="Key prefix" value={s3.prefix} disabled={readOnly} onChange={(e) => setS3({ ...s3, prefix: e.target.value })} placeholder="twins/nightly" error={first(errors, "outputs/s3/prefix")} hint="Each run writes under <prefix>/<run id>/." />
            )}
          </div>
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="Schedule" description="Runs start on a worker at these times (UTC). You can always run the workflow by hand." />
        <CardBody>
          <ScheduleField value={schedule} onChange={setSchedule} disabled={readOnly} error={first(errors, "cron")} />
        </CardBody>
      </Card>

      {!readOnly && (
        <div className="sticky bottom-0 z-10 -mx-4 border-t border-slate-200 bg-white/95 px-4 py-3 backdrop-blur md:-mx-8 md:px-8">
          <div className="flex flex-wrap items-center gap-4">
            <Button type="button" onClick={save} pending={saving}>
              {props.workflow ? "Save new version" : "Create workflow"}
            </Button>
            {dirty && !formMessage && <p className="text-sm text-slate-500">Unsaved changes</p>}
            {formMessage?.tone === "warning" && (
              <p className="text-sm text-amber-800" role="status">
                {formMessage.text}
              </p>
            )}
            {formMessage?.tone === "error" && (
              <div className="text-sm text-red-700" role="alert" data-testid="save-errors">
                <p className="font-medium">{formMessage.text}</p>
                {formMessage.details && formMessage.details.length > 0 && (
                  <ul className="mt-0.5 list-disc pl-5">
                    {formMessage.details.slice(0, 5).map((d) => (
                      <li key={d}>{d}</li>
                    ))}
                    {formMessage.details.length > 5 && <li>and {formMessage.details.length - 5} more, marked above</li>}
                  </ul>
                )}
              </div>
            )}
          </div>
        </div>
      )}
      {readOnly && <p className="text-sm text-slate-500">You can look at this workflow; only admins can change it.</p>}
    </div>
  );
}

