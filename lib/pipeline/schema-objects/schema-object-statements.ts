import { resolveObjects } from "./resolve-objects";
import { qi, ql } from "../connect";
import type { AclEntry, PrivilegeItem, SchemaObjects, SkippedObject, ViewObject } from "./types";

// DDL for the schema objects, run by the engine inside the swap transaction after the staging
// schemas carry their final names (so `public.customers` in a definition binds to the new table):
// functions and views in dependency order (materialized views WITH NO DATA, refreshed afterwards
// from the redacted rows), rules, triggers (after the load, so they never fire on loaded rows),
// row-level security, comments, then ownership and grants.

export type StatementOptions = {
  /** The target connection's user: owner of everything by default, and stand-in for source roles. */
  targetUser: string;
  /** Keep source owners and grantees where the role exists on the target (see targetRoles). */
  keepOwnership: boolean;
  /** Role names on the target (readTargetInfo). Without it every source role counts as missing. */
  targetRoles?: string[];
  /** Target major version (readTargetInfo); privileges newer than the target (MAINTAIN, 17) are left out. */
  targetServerMajor?: number;
};

export type ObjectStatements = {
  statements: string[];
  /** REFRESH MATERIALIZED VIEW, dependencies first; run after `statements`. */
  refreshMaterializedViews: string[];
  skipped: SkippedObject[];
};

// Predefined roles present in every supported version (15+).
const PREDEFINED_ROLES = new Set(["pg_database_owner", "pg_read_all_data", "pg_write_all_data", "pg_monitor",
  "pg_read_all_settings", "pg_read_all_stats", "pg_stat_scan_tables", "pg_signal_backend", "pg_checkpoint",
  "pg_read_server_files", "pg_write_server_files", "pg_execute_server_program"]);

export function schemaObjectStatements(objects: SchemaObjects, opts: StatementOptions): ObjectStatements {
  const { created, order, skipped } = resolveObjects(objects);
  const roles = roleMapper(opts);
  const statements: string[] = ["SET LOCAL check_function_bodies = off"];
  const refresh: string[] = [];

  // Extensions the twin needs are created before staging (extensionSetupStatements); this is the
  // fallback for those living in a selected schema, a no-op when they are installed.
  for (const ext of neededExtensions(objects, created)) {
    if (objects.schemas.includes(ext.schema)) {
      statements.push(`CREATE EXTENSION IF NOT EXISTS ${qi(ext.name)} SCHEMA ${qi(ext.schema)}`);
    }
  }

  const functions = new Map(objects.functions.map((f) => [f.key, f]));
  const generated = new Map(objects.generated.map((g) => [g.key, g]));
  const views = new Map(objects.views.map((v) => [v.key, v]));
  const rules = new Map(objects.rules.map((r) => [r.key, r]));
  for (const key of order) {
    const fn = functions.get(key);
    if (fn?.definition) statements.push(fn.definition.trim());
    const gen = generated.get(key);
    if (gen && !objects.functionsNeededByTables.includes(key)) statements.push(gen.definition);
    const view = views.get(key);
    if (view) {
      statements.push(...viewStatements(view));
      if (view.kind === "materialized view" && view.populated) refresh.push(`REFRESH MATERIALIZED VIEW ${view.name}`);
    }
    const rule = rules.get(key);
    if (rule) statements.push(rule.definition);
  }

  for (const t of objects.triggers.filter((tr) => created.has(tr.key))) {
    statements.push(t.definition);
    const state = { D: "DISABLE", R: "ENABLE REPLICA", A: "ENABLE ALWAYS" }[t.enabled];
    if (state) statements.push(`ALTER TABLE ${t.table} ${state} TRIGGER ${qi(t.triggerName)}`);
  }

  for (const s of objects.tableSecurity) {
    if (s.enabled) statements.push(`ALTER TABLE ${s.table} ENABLE ROW LEVEL SECURITY`);
    if (s.forced) statements.push(`ALTER TABLE ${s.table} FORCE ROW LEVEL SECURITY`);
  }
  for (const p of objects.policies.filter((po) => created.has(po.key))) {
    const to = [...new Set(p.roles.map((r) => (r === null ? "PUBLIC" : qi(roles.grantee(r)))))].join(", ");
    statements.push([
      `CREATE POLICY ${qi(p.policyName)} ON ${p.table}`,
      `AS ${p.permissive ? "PERMISSIVE" : "RESTRICTIVE"} FOR ${p.command} TO ${to}`,
      p.using !== null ? `USING (${p.using})` : "",
      p.withCheck !== null ? `WITH CHECK (${p.withCheck})` : "",
    ].filter(Boolean).join(" "));
  }

  for (const c of objects.comments) {
    if (c.objectKey && !created.has(c.objectKey)) continue;
    statements.push(`COMMENT ON ${c.target} IS ${ql(c.text)}`);
  }

  for (const item of objects.privileges) {
    if (item.objectKey && !created.has(item.objectKey)) continue;
    statements.push(...privilegeStatements(item, roles, opts));
  }

  return { statements, refreshMaterializedViews: refresh, skipped };
}

export function neededExtensions(objects: SchemaObjects, created: Set<string>) {
  return objects.extensions.filter((e) => e.schema !== "pg_catalog" && (e.neededByTables || e.objectKeys.some((k) => created.has(k))));
}

function viewStatements(v: ViewObject): string[] {
  const withOptions = v.options.length ? ` WITH (${v.options.join(", ")})` : "";
  if (v.kind === "view") {
    return [
      `CREATE VIEW ${v.name}${withOptions} AS ${v.definition}`,
      ...v.columnDefaults.map((d) => `ALTER VIEW ${v.name} ALTER COLUMN ${d.column} SET DEFAULT ${d.expression}`),
    ];
  }
  return [`CREATE MATERIALIZED VIEW ${v.name}${withOptions} AS ${v.definition} WITH NO DATA`, ...v.indexes];
}

type RoleMapper = { owner(source: string): string; grantee(source: string): string };

/** Source role -> role on the target: kept when asked for and present, else the target user. */
function roleMapper(opts: StatementOptions): RoleMapper {
  const exists = (r: string) => (opts.targetRoles ? opts.targetRoles.includes(r) : false);
  const predefined = (r: string) => r.startsWith("pg_") && (opts.targetRoles ? opts.targetRoles.includes(r) : PREDEFINED_ROLES.has(r));
  return {
    owner: (r) => (opts.keepOwnership && exists(r) ? r : opts.targetUser),
    grantee: (r) => (predefined(r) || (opts.keepOwnership && exists(r)) ? r : opts.targetUser),
  };
}

function privilegeStatements(item: PrivilegeItem, roles: RoleMapper, opts: StatementOptions): string[] {
  const out: string[] = [];
  const owner = roles.owner(item.owner);
  if (item.ownable && owner !== opts.targetUser) out.push(`ALTER ${item.alterKind} ${item.name} OWNER TO ${qi(owner)}`);
  if (item.acl) {
    out.push(`REVOKE ALL ON ${item.grantKind} ${item.name} FROM PUBLIC`);
    for (const g of groupGrants(item.acl, item.owner, owner, roles, opts)) {
      out.push(`GRANT ${g.privileges.join(", ")} ON ${item.grantKind} ${item.name} TO ${g.grantee}${g.grantable ? " WITH GRANT OPTION" : ""}`);
    }
  }
  for (const col of item.columnAcls) {
    for (const g of groupGrants(col.acl, item.owner, owner, roles, opts)) {
      const privileges = g.privileges.map((p) => `${p} (${col.column})`).join(", ");
      out.push(`GRANT ${privileges} ON TABLE ${item.name} TO ${g.grantee}${g.grantable ? " WITH GRANT OPTION" : ""}`);
    }
  }
  return out;
}

function groupGrants(acl: AclEntry[], sourceOwner: string, targetOwner: string, roles: RoleMapper, opts: StatementOptions) {
  const groups = new Map<string, { grantee: string; grantable: boolean; privileges: string[] }>();
  for (const e of acl) {
    if (e.grantee === sourceOwner) continue; // the owner's own privileges come with ownership
    if (e.privilege === "MAINTAIN" && (opts.targetServerMajor ?? 0) < 17) continue;
    const grantee = e.grantee === null ? "PUBLIC" : roles.grantee(e.grantee);
    if (grantee === targetOwner) continue;
    const quoted = grantee === "PUBLIC" ? grantee : qi(grantee);
    const id = `${quoted}|${e.grantable}`;
    const g = groups.get(id) ?? { grantee: quoted, grantable: e.grantable, privileges: [] };
    if (!g.privileges.includes(e.privilege)) g.privileges.push(e.privilege);
    groups.set(id, g);
  }
  return [...groups.values()];
}
