import type pg from "pg";
import { EngineError } from "../errors";
import { resolveObjects } from "./resolve-objects";
import { neededExtensions } from "./schema-object-statements";
import { qi } from "../connect";
import type { SchemaObjects } from "./types";

// Extensions on the target. Where their objects live matters: an extension installed in a schema
// that the swap renames away (typically `public`) would be dropped with the old schema, taking
// with it every new column of its types. So:
//   1. before anything is written: checkExtensions (available? installable by this user?);
//   2. before the staging tables: extensionSetupStatements creates the missing ones (in the
//      staging schema that becomes their source schema, or in their own unselected schema);
//   3. in the swap, before the old schemas are renamed away: extensionRelocationStatements moves
//      every extension living in a replaced schema into its staging schema, so nothing of an
//      extension is ever dropped with the old schema.

export async function checkExtensions(target: pg.ClientBase, objects: SchemaObjects): Promise<void> {
  const { created } = resolveObjects(objects);
  const needed = neededExtensions(objects, created);
  if (!needed.length) return;
  const { rows } = await target.query<{ name: string; installed: boolean; installable: boolean; schema: string | null }>(`
    SELECT a.name, a.installed_version IS NOT NULL AS installed,
      (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = a.name) AS schema,
      (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) OR COALESCE(v.trusted OR NOT v.superuser, false) AS installable
    FROM pg_available_extensions a
    LEFT JOIN pg_available_extension_versions v ON v.name = a.name AND v.version = a.default_version
    WHERE a.name = ANY($1::text[])`, [needed.map((e) => e.name)]);
  const onTarget = new Map(rows.map((r) => [r.name, r]));
  const usedBy = (e: (typeof needed)[number]) => e.usedBy.slice(0, 3).join(", ") || "the selected tables";

  const missing = needed.filter((e) => !onTarget.has(e.name));
  if (missing.length) {
    const list = missing.map((e) => `"${e.name}" (used by ${usedBy(e)})`).join(", ");
    throw new EngineError("EXTENSION_MISSING",
      missing.length === 1
        ? `Extension "${missing[0].name}" is used by ${usedBy(missing[0])} but is not available on the target server.`
        : `Extensions ${list} are used by the selected schema but are not available on the target server.`,
      "Install the extension's package on the target server (it must be listed in pg_available_extensions), or leave the tables and objects that use it out of the workflow. Nothing was written to the target.");
  }
  // Definitions name extension objects with their schema (public.similarity(...), a column of
  // type public.citext): on the target the extension has to live in the same schema.
  const elsewhere = needed.filter((e) => onTarget.get(e.name)!.installed && onTarget.get(e.name)!.schema !== e.schema);
  if (elsewhere.length) {
    const e = elsewhere[0];
    const there = onTarget.get(e.name)!.schema;
    throw new EngineError("EXTENSION_MISSING",
      `Extension "${e.name}" is installed in schema "${there}" on the target but in schema "${e.schema}" on the source, and ${usedBy(e)} refer to it there.`,
      `On the target, move it with ALTER EXTENSION ${e.name} SET SCHEMA ${e.schema}; (create the schema first if needed), then run the workflow again. Nothing was written to the target.`);
  }
  const forbidden = needed.filter((e) => !onTarget.get(e.name)!.installed && !onTarget.get(e.name)!.installable);
  if (forbidden.length) {
    const names = forbidden.map((e) => `"${e.name}"`).join(", ");
    throw new EngineError("PERMISSION_DENIED",
      `Extension ${names} is used by ${usedBy(forbidden[0])} and is not installed in the target database; only a superuser can install it.`,
      `Ask the target's administrator to run CREATE EXTENSION ${forbidden.map((e) => e.name).join(", ")} in the target database, or use a superuser for the target connection. Nothing was written to the target.`);
  }
}

/**
 * Statements to run on the target before the staging tables are created: CREATE EXTENSION for
 * each needed extension that is not installed yet. One that lives in a selected schema on the
 * source is created in that schema's staging schema (it becomes the real one at the swap, and a
 * failed run drops it with the staging schema); one in another schema goes there.
 */
export async function extensionSetupStatements(target: pg.ClientBase, objects: SchemaObjects,
  stagingSchemaOf: Record<string, string>): Promise<string[]> {
  const { created } = resolveObjects(objects);
  const needed = neededExtensions(objects, created);
  if (!needed.length) return [];
  const { rows } = await target.query<{ name: string }>("SELECT extname AS name FROM pg_extension WHERE extname = ANY($1::text[])",
    [needed.map((e) => e.name)]);
  const installed = new Set(rows.map((r) => r.name));
  const out: string[] = [];
  for (const e of needed.filter((ext) => !installed.has(ext.name))) {
    const staging = stagingSchemaOf[e.schema];
    if (!staging) out.push(`CREATE SCHEMA IF NOT EXISTS ${qi(e.schema)}`);
    out.push(`CREATE EXTENSION IF NOT EXISTS ${qi(e.name)} SCHEMA ${qi(staging ?? e.schema)}`);
  }
  return out;
}

/**
 * Statements for the swap transaction, before the old schemas are renamed away: every extension
 * installed in a schema being replaced moves to that schema's staging schema. Throws (before
 * anything is written, if called early) when one cannot be moved.
 */
export async function extensionRelocationStatements(target: pg.ClientBase,
  replaced: { schema: string; stagingSchema: string }[]): Promise<string[]> {
  if (!replaced.length) return [];
  const { rows } = await target.query<{ name: string; schema: string; relocatable: boolean }>(`
    SELECT e.extname AS name, n.nspname AS schema, e.extrelocatable AS relocatable
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE n.nspname = ANY($1::text[]) ORDER BY 1`, [replaced.map((r) => r.schema)]);
  const fixed = rows.filter((r) => !r.relocatable);
  if (fixed.length) {
    const f = fixed[0];
    throw new EngineError("EXTENSION_MISSING",
      `Extension "${f.name}" is installed in schema "${f.schema}" of the target, which the clone replaces, and PostgreSQL cannot move it to the new schema.`,
      `Install "${f.name}" in a schema of its own on the target (for example DROP EXTENSION ${f.name}; CREATE SCHEMA extensions; CREATE EXTENSION ${f.name} SCHEMA extensions;), or clone into another target database. Nothing was written to the target.`);
  }
  const staging = new Map(replaced.map((r) => [r.schema, r.stagingSchema]));
  return rows.map((r) => `ALTER EXTENSION ${qi(r.name)} SET SCHEMA ${qi(staging.get(r.schema)!)}`);
}

export type TargetInfo = { user: string; roles: string[]; serverMajor: number };

/** What schemaObjectStatements needs to know about the target (pass as targetUser/targetRoles/targetServerMajor). */
export async function readTargetInfo(target: pg.ClientBase): Promise<TargetInfo> {
  const { rows: [r] } = await target.query<{ user: string; roles: string[]; v: string }>(`
    SELECT current_user AS user, ARRAY(SELECT rolname::text FROM pg_roles ORDER BY 1) AS roles,
      current_setting('server_version_num') AS v`);
  return { user: r.user, roles: r.roles, serverMajor: Math.floor(Number(r.v) / 10000) };
}
