import type { ColumnMeta } from "../redaction/column-meta";
import type { TPgConnection } from "../schemas/connection";
import { listUserSchemas, readCatalog, toColumnMeta } from "./catalog";
import { closeSession, openSession } from "./connect";
import { classifyPgError } from "./errors";

// What the workflow editor shows about a source database: schemas, tables with estimated rows
// and sizes, columns (as the rules see them), primary and foreign keys. Read-only session.

export type SourceColumn = ColumnMeta & { generated: boolean; identity: boolean; hasDefault: boolean };

export type SourceTable = {
  schema: string;
  name: string;
  kind: "table" | "partitioned table";
  /** Parent of a partition, as "schema.table"; partitions are copied through their parent. */
  partitionOf: string | null;
  /** Table inheritance (not partitioning): the table has parents or children (absent in lists read before this existed). */
  inheritance?: boolean;
  rowsEstimate: number | null;
  bytes: number;
  columns: SourceColumn[];
  primaryKey: string[];
  foreignKeys: { name: string; columns: string[]; references: { schema: string; table: string; columns: string[] } }[];
};

export type SourceIntrospection = { serverVersion: number; schemas: string[]; tables: SourceTable[] };

export async function introspectSource(conn: TPgConnection, opts: { schemas?: string[] } = {}): Promise<SourceIntrospection> {
  const client = await openSession(conn, "source");
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const schemas = opts.schemas ?? (await listUserSchemas(client));
    const catalog = await readCatalog(client, schemas);
    await client.query("COMMIT");
    const byOid = new Map(catalog.tables.map((t) => [t.oid, t]));
    const name = (relid: number, attnum: number) => byOid.get(relid)?.columns.find((c) => c.attnum === attnum)?.name ?? `#${attnum}`;
    return {
      serverVersion: catalog.serverVersion,
      schemas,
      tables: catalog.tables.map((t) => {
        const parent = t.parentOid !== null ? byOid.get(t.parentOid) : undefined;
        const pk = t.constraints.find((c) => c.type === "p");
        return {
          schema: t.schema,
          name: t.name,
          kind: t.kind === "p" ? "partitioned table" : "table",
          partitionOf: parent ? `${parent.schema}.${parent.name}` : null,
          inheritance: t.inheritsFrom.length > 0 || catalog.tables.some((x) => x.inheritsFrom.includes(t.oid)),
          rowsEstimate: t.kind === "p" ? sumPartitions(t.oid, catalog.tables) : t.rowsEstimate,
          bytes: t.bytes,
          columns: t.columns.map((c) => ({ ...toColumnMeta(c), generated: !!c.generated, identity: !!c.identity, hasDefault: c.defaultExpr !== null })),
          primaryKey: pk ? pk.columns.map((n) => name(t.oid, n)) : [],
          foreignKeys: t.constraints.filter((c) => c.type === "f" && !c.inherited && c.refRelid !== null).map((c) => {
            const ref = byOid.get(c.refRelid!);
            return {
              name: c.name,
              columns: c.columns.map((n) => name(t.oid, n)),
              references: { schema: ref?.schema ?? "?", table: ref?.name ?? "?", columns: c.refColumns.map((n) => name(c.refRelid!, n)) },
            };
          }),
        };
      }),
    };
  } catch (err) {
    throw classifyPgError(err, "source", "reading the source catalog");
  } finally {
    await closeSession(client);
  }
}

function sumPartitions(oid: number, tables: { oid: number; parentOid: number | null; kind: string; rowsEstimate: number | null }[]): number | null {
  const kids = tables.filter((t) => t.parentOid === oid);
  if (!kids.length) return null;
  return kids.reduce((a, k) => a + ((k.kind === "p" ? sumPartitions(k.oid, tables) : k.rowsEstimate) ?? 0), 0);
}
