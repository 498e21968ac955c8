import type { SourceIntrospection } from "../../../pipeline/introspect";
import { fakeKindsForColumn, RULE_CATALOGUE, rulesForColumn } from "../../../redaction/catalogue";
import { RULE_NAME_LABELS } from "../../../redaction/describe-rule";
import type { TRuleName } from "../../../schemas/rules";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import { readIntrospection } from "./source-catalog";

// What the workflow editor shows of a source: tables (partitions are copied through their
// parent, so they are left out) with estimated rows and size, and per column the rules that fit
// its type — computed here, because the rule catalogue is server code.

export type EditorColumn = {
  name: string;
  typeName: string;
  /** The type after resolving domains (pg_type.typname: "timestamptz", "int8"...). */
  baseType: string;
  notNull: boolean;
  unique: boolean;
  generated: boolean;
  maxLength: number | null;
  /** date/timestamp columns: offered for time windows. */
  isTime: boolean;
  rules: TRuleName[];
  fakeKinds: string[];
};

export type EditorTable = {
  schema: string;
  name: string;
  rowsEstimate: number | null;
  bytes: number;
  /** Partitioned, or part of table inheritance (such tables are re-copied in full by delta updates). */
  inheritance: boolean;
  primaryKey: string[];
  foreignKeys: { name: string; columns: string[]; references: { schema: string; table: string; columns: string[] } }[];
  columns: EditorColumn[];
};

export type EditorCatalog = { connectionId: string; introspectedAt: string | null; serverVersion: number | null; tables: EditorTable[] };

const TIME_TYPES = new Set(["date", "timestamp", "timestamptz"]);

export function toEditorCatalog(connectionId: string, introspectedAt: Date | null, intro: SourceIntrospection | null): EditorCatalog {
  return {
    connectionId,
    introspectedAt: introspectedAt?.toISOString() ?? null,
    serverVersion: intro?.serverVersion ?? null,
    tables: (intro?.tables ?? [])
      .filter((t) => !t.partitionOf)
      .map((t) => ({
        schema: t.schema,
        name: t.name,
        rowsEstimate: t.rowsEstimate,
        bytes: t.bytes,
        inheritance: t.kind === "partitioned table" || !!t.inheritance,
        primaryKey: t.primaryKey,
        foreignKeys: t.foreignKeys.map((f) => ({ name: f.name, columns: f.columns, references: f.references })),
        columns: t.columns.map((c) => ({
          name: c.name,
          typeName: c.typeName,
          baseType: c.baseType,
          notNull: c.notNull,
          unique: c.unique,
          generated: c.generated,
          maxLength: c.maxLength,
          isTime: TIME_TYPES.has(c.baseType),
          rules: c.generated ? [] : rulesForColumn(c),
          fakeKinds: c.generated ? [] : fakeKindsForColumn(c),
        })),
      }))
      .sort((a, b) => a.schema.localeCompare(b.schema) || a.name.localeCompare(b.name)),
  };
}

/** The cached table list of a PostgreSQL connection of the organisation, for the editor. */
export async function getEditorCatalog({ db = prisma, orgId, connectionId }: { db?: Db; orgId: string; connectionId: string }): Promise<EditorCatalog> {
  const conn = await db.connection.findFirst({ where: { id: connectionId, orgId }, select: { id: true, kind: true, introspection: true, introspectedAt: true } });
  if (!conn) throw notFound("That connection");
  if (conn.kind !== "POSTGRES") throw new AppError("VALIDATION", "Choose a PostgreSQL connection as the source.");
  return toEditorCatalog(conn.id, conn.introspectedAt, readIntrospection(conn.introspection));
}

/** Labels and descriptions of the rules, for the picker (a chosen rule in words: describeRule). */
export const RULE_INFO: Record<TRuleName, { label: string; description: string }> = Object.fromEntries(
  Object.entries(RULE_CATALOGUE).map(([name, e]) => [name, { label: RULE_NAME_LABELS[name as TRuleName], description: e.description }]),
) as Record<TRuleName, { label: string; description: string }>;
