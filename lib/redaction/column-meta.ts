// What the rules need to know about a column, from the source catalogue (the pipeline's
// introspection fills it in; tests build it with columnMeta()).

export type ColumnMeta = {
  name: string;
  /** format_type(atttypid, atttypmod), e.g. "character varying(120)", "text[]", "timestamp with time zone". */
  typeName: string;
  /** pg_type.typname of the column type after resolving domains, e.g. "varchar", "int4", "_text", "jsonb", "my_enum". */
  baseType: string;
  /** pg_type.typcategory of that base type: S string, N numeric, D date/time, B bool, U user (uuid, jsonb, bytea...), A array, E enum, I network, ... */
  category: string;
  /** For arrays, the element's typname and category. */
  elementType?: string;
  elementCategory?: string;
  /** varchar(n)/char(n) limit in characters (for arrays: of each element). */
  maxLength: number | null;
  notNull: boolean;
  /** Part of a single-column primary key / unique constraint or unique index. */
  unique: boolean;
};

/** The scalar view of a column: for arrays, the element type (rules apply element by element). */
export type ScalarType = { baseType: string; category: string; maxLength: number | null; typeName: string };

export function isArrayColumn(col: ColumnMeta): boolean {
  return col.category === "A" && !!col.elementType;
}

export function scalarTypeOf(col: ColumnMeta): ScalarType {
  if (isArrayColumn(col)) {
    return {
      baseType: col.elementType!,
      category: col.elementCategory ?? "",
      maxLength: col.maxLength,
      typeName: col.typeName.replace(/\[\]$/, ""),
    };
  }
  return { baseType: col.baseType, category: col.category, maxLength: col.maxLength, typeName: col.typeName };
}

const TEXT_TYPES = new Set(["text", "varchar", "bpchar", "citext", "name"]);
export function isTextType(t: ScalarType): boolean {
  return TEXT_TYPES.has(t.baseType) || (t.category === "S" && t.baseType !== "char");
}

export const INTEGER_RANGES: Record<string, { min: bigint; max: bigint }> = {
  int2: { min: -32768n, max: 32767n },
  int4: { min: -2147483648n, max: 2147483647n },
  int8: { min: -9223372036854775808n, max: 9223372036854775807n },
};
export function isIntegerType(t: ScalarType): boolean {
  return t.baseType in INTEGER_RANGES;
}
export function isNumericType(t: ScalarType): boolean {
  return t.baseType === "numeric";
}
export function isFloatType(t: ScalarType): boolean {
  return t.baseType === "float4" || t.baseType === "float8";
}
export function isDateLikeType(t: ScalarType): boolean {
  return t.baseType === "date" || t.baseType === "timestamp" || t.baseType === "timestamptz";
}
export function isJsonType(t: ScalarType): boolean {
  return t.baseType === "json" || t.baseType === "jsonb";
}
export function isInetType(t: ScalarType): boolean {
  return t.baseType === "inet" || t.baseType === "cidr";
}

/** numeric(p,s) from the type name; null when unconstrained. */
export function numericPrecision(t: ScalarType): { precision: number; scale: number } | null {
  const m = /^numeric\((\d+)(?:,\s*(-?\d+))?\)/.exec(t.typeName);
  return m ? { precision: Number(m[1]), scale: m[2] === undefined ? 0 : Number(m[2]) } : null;
}

/** A plain description of the column's type for messages ("integer", "character varying(20)"). */
export function describeType(col: ColumnMeta): string {
  return col.typeName;
}

/** Builds a ColumnMeta from a short type spelling, for tests and tools: "text", "varchar(20)", "int4", "text[]", "uuid", ... */
export function columnMeta(name: string, type: string, opts: { notNull?: boolean; unique?: boolean } = {}): ColumnMeta {
  const array = type.endsWith("[]");
  const scalar = array ? type.slice(0, -2) : type;
  const m = /^(\w+)(?:\((\d+)(?:,\s*\d+)?\))?$/.exec(scalar);
  if (!m) throw new Error(`Unknown test type ${type}`);
  const base = m[1];
  const known: Record<string, [string, string]> = {
    text: ["text", "S"], varchar: ["character varying", "S"], bpchar: ["character", "S"], citext: ["citext", "S"],
    int2: ["smallint", "N"], int4: ["integer", "N"], int8: ["bigint", "N"], numeric: ["numeric", "N"],
    float4: ["real", "N"], float8: ["double precision", "N"], bool: ["boolean", "B"], uuid: ["uuid", "U"],
    jsonb: ["jsonb", "U"], json: ["json", "U"], bytea: ["bytea", "U"], date: ["date", "D"],
    timestamp: ["timestamp without time zone", "D"], timestamptz: ["timestamp with time zone", "D"],
    time: ["time without time zone", "D"], interval: ["interval", "T"], inet: ["inet", "I"], cidr: ["cidr", "I"],
    mood: ["mood", "E"], tsvector: ["tsvector", "U"], name: ["name", "S"],
  };
  const [pretty, category] = known[base] ?? [base, "U"];
  const typeName = (m[2] ? `${pretty}(${m[2]}${/,/.test(scalar) ? scalar.slice(scalar.indexOf(",")).replace(")", "") : ""})` : pretty) + (array ? "[]" : "");
  const maxLength = (base === "varchar" || base === "bpchar") && m[2] ? Number(m[2]) : null;
  return {
    name,
    typeName,
    baseType: array ? `_${base}` : base,
    category: array ? "A" : category,
    ...(array ? { elementType: base, elementCategory: category } : {}),
    maxLength,
    notNull: opts.notNull ?? false,
    unique: opts.unique ?? false,
  };
}
