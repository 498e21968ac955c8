// What the twin needs besides tables, as read from the source catalogs (read-schema-objects.ts)
// and turned into DDL (schema-object-statements.ts). Plain data: no pg handles, JSON-serialisable.
//
// Every name and definition below was produced by the source server with an empty search_path,
// so all of them are schema-qualified and already quoted where needed.

/** Something a candidate object needs. `object`: another candidate (created only if it is not
 *  skipped). `missing`: something the twin will not have (the text says what and why). */
export type Dependency = { on: "object"; key: string } | { on: "missing"; reason: string };

export type AclEntry = {
  /** Role name; null = PUBLIC. */
  grantee: string | null;
  privilege: string;
  grantable: boolean;
};

type Candidate = {
  /** Stable key within one SchemaObjects: "rel:<oid>", "fn:<oid>", "trg:<oid>", "rule:<oid>", "pol:<oid>". */
  key: string;
  /** Qualified display name, e.g. `public.active_customers`. */
  name: string;
  deps: Dependency[];
  /** Set when the object is never copied (e.g. a C-language function); the text is the reason. */
  unsupported?: string;
};

export type FunctionObject = Candidate & {
  kind: "function" | "procedure" | "aggregate" | "window function";
  /** `public.f(integer, text)` — usable after ROUTINE in COMMENT/GRANT/ALTER. */
  identity: string;
  language: string;
  /** pg_get_functiondef: a complete `CREATE OR REPLACE FUNCTION|PROCEDURE ...` (aggregates: a generated CREATE AGGREGATE). */
  definition: string | null;
  /** Header prefix of `definition` (`CREATE OR REPLACE FUNCTION public.f(`), for re-targeting into a staging schema. */
  header: string;
  /** The function's own name, quoted as needed (`f`, `"Odd Name"`). */
  quotedName: string;
  /** Functions the tables need only: the definition read with search_path = the selected schemas (see stagingFunctionStatements). */
  stagingDefinition?: string;
  schema: string;
};

/** An object whose definition is generated from the catalogs (read-generated-objects.ts). */
export type GeneratedObject = Candidate & { kind: "operator" | "cast"; definition: string };

export type ViewObject = Candidate & {
  kind: "view" | "materialized view";
  /** pg_get_viewdef, without the trailing semicolon. */
  definition: string;
  /** reloptions, e.g. ["security_barrier=true"]. */
  options: string[];
  /** Materialized views only: false when the source's is unpopulated (then it is not refreshed). */
  populated: boolean;
  /** Materialized views only: pg_get_indexdef of each index. */
  indexes: string[];
  /** `ALTER VIEW ... ALTER COLUMN ... SET DEFAULT ...` expressions, by quoted column name. */
  columnDefaults: { column: string; expression: string }[];
};

export type TriggerObject = Candidate & {
  /** pg_get_triggerdef. */
  definition: string;
  table: string;
  /** pg_trigger.tgenabled: O (origin, the default), D (disabled), R (replica), A (always). */
  enabled: string;
  triggerName: string;
};

export type RuleObject = Candidate & { definition: string };

export type PolicyObject = Candidate & {
  table: string;
  policyName: string;
  permissive: boolean;
  command: "ALL" | "SELECT" | "INSERT" | "UPDATE" | "DELETE";
  /** null = PUBLIC. */
  roles: (string | null)[];
  using: string | null;
  withCheck: string | null;
};

export type TableSecurity = { table: string; enabled: boolean; forced: boolean };

export type CommentItem = {
  /** What follows COMMENT ON, e.g. `COLUMN public.customers.email`. */
  target: string;
  text: string;
  /** The candidate it belongs to; the comment is left out when that is skipped. Absent for engine-created objects. */
  objectKey?: string;
};

export type PrivilegeItem = {
  /** Keyword after ALTER for ownership: TABLE, VIEW, MATERIALIZED VIEW, SEQUENCE, ROUTINE, SCHEMA, TYPE, DOMAIN. */
  alterKind: string;
  /** Keyword after GRANT ... ON: TABLE (also for views), SEQUENCE, ROUTINE, SCHEMA, TYPE (also for domains). */
  grantKind: string;
  name: string;
  owner: string;
  /** Whether ALTER ... OWNER applies (sequences owned by a column follow their table). */
  ownable: boolean;
  /** null = the default privileges (nothing to do). */
  acl: AclEntry[] | null;
  columnAcls: { column: string; acl: AclEntry[] }[];
  objectKey?: string;
};

export type ExtensionUse = {
  name: string;
  schema: string;
  version: string;
  relocatable: boolean;
  /** Up to a few objects that use it, for messages (e.g. `column email of table public.customers`). */
  usedBy: string[];
  /** Candidates (views, functions...) that use it; it is needed only if one of them is created... */
  objectKeys: string[];
  /** ...or if the selected tables themselves use it (a column type, an index operator class). */
  neededByTables: boolean;
};

export type SchemaObjects = {
  sourceServerMajor: number;
  schemas: string[];
  extensions: ExtensionUse[];
  functions: FunctionObject[];
  /** Operators and casts. */
  generated: GeneratedObject[];
  views: ViewObject[];
  rules: RuleObject[];
  triggers: TriggerObject[];
  tableSecurity: TableSecurity[];
  policies: PolicyObject[];
  comments: CommentItem[];
  privileges: PrivilegeItem[];
  /** Functions and operators that selected tables use (defaults, CHECK constraints, index expressions, generated columns), by key. */
  functionsNeededByTables: string[];
};

export type SkippedObject = { kind: string; name: string; reason: string };
