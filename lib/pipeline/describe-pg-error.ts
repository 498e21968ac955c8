// What job readers are told about a database error raised by SQL an admin wrote (a workflow's
// customizations, a migration dry-run's script). Built from the SQLSTATE and the error's
// structured fields only (schema, table, column, constraint, data type, position) and never from
// the server's message: its quoted text is computed by the statement and can be anything the
// statement reads — row values ("invalid input syntax for type integer: \"…\"", "Key (email)=(…)")
// or the server's catalog (`SELECT string_agg(datname, ',')::regclass FROM pg_database` fails
// with every database's name in its message).

const SQLSTATE_NAMES: Record<string, string> = {
  "22001": "a value is too long for its type",
  "22003": "a number is out of range for its type",
  "22007": "a date/time value has an invalid format",
  "22008": "a date/time value is out of range",
  "22012": "a division by zero",
  "22P02": "a value does not convert to the type",
  "23502": "a NOT NULL constraint is violated",
  "23503": "a foreign key is violated",
  "23505": "a unique constraint is violated",
  "23514": "a CHECK constraint is violated",
  "23P01": "an exclusion constraint is violated",
  "25006": "the transaction is read-only",
  "2BP01": "other objects depend on it",
  "3F000": "a schema does not exist",
  "40P01": "a deadlock was detected",
  "42501": "permission denied",
  "42601": "a syntax error",
  "42602": "an invalid name",
  "42611": "an invalid column definition",
  "42622": "a name is too long",
  "42701": "a column already exists",
  "42702": "a column reference is ambiguous",
  "42703": "a column does not exist",
  "42704": "an object does not exist",
  "42710": "an object already exists",
  "42725": "a function call is ambiguous",
  "42803": "a grouping error",
  "42804": "a value has the wrong type",
  "42809": "the object is of the wrong kind",
  "42830": "an invalid foreign key",
  "42883": "a function or operator does not exist",
  "42P01": "a table or view does not exist",
  "42P02": "a parameter does not exist",
  "42P06": "a schema already exists",
  "42P07": "a table or index already exists",
  "42P10": "an invalid column reference",
  "42P16": "an invalid table definition",
  "55P03": "a lock could not be taken",
  "57014": "the statement ran longer than its statement timeout",
};

const CLASS_NAMES: Record<string, string> = {
  "0A": "a feature is not supported",
  "22": "a value is invalid for the operation",
  "23": "an integrity constraint is violated",
  "42": "the statement is invalid or names an object that does not fit",
  "53": "the server ran out of a resource",
};

type PgErrorFields = { code?: unknown; schema?: unknown; table?: unknown; column?: unknown; constraint?: unknown; dataType?: unknown; position?: unknown };

const field = (v: unknown) => (typeof v === "string" && v.length > 0 && v.length <= 128 ? v : null);

/** `code`: the SQLSTATE when the error has one (for "[SQLSTATE …]" suffixes); `text`: the description. */
export function describePgError(err: unknown): { code: string | null; text: string } {
  const e = (err ?? {}) as PgErrorFields;
  const code = typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : null;
  if (!code) return { code: null, text: "the statement failed without a database error code" };
  const what = SQLSTATE_NAMES[code] ?? CLASS_NAMES[code.slice(0, 2)] ?? "the database refused the statement";
  const [schema, table, column, constraint, dataType] = [e.schema, e.table, e.column, e.constraint, e.dataType].map(field);
  const position = typeof e.position === "string" && /^\d{1,7}$/.test(e.position) ? e.position : null;
  const where = [
    table ? `table ${schema ? `${schema}.` : ""}${table}` : null,
    column ? `column ${column}` : null,
    constraint ? `constraint ${constraint}` : null,
    dataType ? `type ${dataType}` : null,
    position ? `at character ${position} of the statement` : null,
  ].filter(Boolean);
  return { code, text: where.length ? `${what} (${where.join(", ")})` : what };
}
