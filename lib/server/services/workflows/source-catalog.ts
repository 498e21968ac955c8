import type { SourceIntrospection, SourceTable } from "../../../pipeline/introspect";
import type { CatalogLike } from "../../../pipeline/validate-definition";

// The cached introspection of a source connection (Connection.introspection, written by the
// INTROSPECT job) as the editor and the validator use it.

export function readIntrospection(value: unknown): SourceIntrospection | null {
  const v = value as Partial<SourceIntrospection> | null;
  return v && Array.isArray(v.tables) && Array.isArray(v.schemas) ? (v as SourceIntrospection) : null;
}

export function catalogOf(intro: SourceIntrospection): CatalogLike {
  return {
    tables: intro.tables.map((t) => ({
      schema: t.schema,
      name: t.name,
      columns: t.columns.map((c) => ({ ...c, generated: c.generated ? "generated" : undefined })),
      foreignKeys: t.foreignKeys?.map((f) => ({ name: f.name, references: { schema: f.references.schema, table: f.references.table } })),
    })),
  };
}

export function findTable(intro: SourceIntrospection, schema: string, table: string): SourceTable | undefined {
  return intro.tables.find((t) => t.schema === schema && t.name === table);
}
