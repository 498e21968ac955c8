import { z } from "zod";
import { ZRule } from "../schemas/rules";

// The PII scanner's contract: the categories it reports and the result a `PII_SCAN` job stores
// in Job.report (the results page re-parses it with ZPiiScanResult). A result never holds a raw
// sampled value: examples are masked (mask-example.ts) before they enter it.

export const PII_CATEGORIES = [
  "first_name", "last_name", "full_name", "username",
  "street_address", "city", "postal_code", "geo_coordinates",
  "birth_date", "person_date",
  "phone", "email", "ssn",
  "medical_record_number", "health_plan_number", "account_number", "license_number",
  "vehicle_id", "device_id", "url", "ip_address", "unique_id",
  "payment_card", "free_text_pii",
] as const;
export const ZPiiCategory = z.enum(PII_CATEGORIES);
export type TPiiCategory = z.infer<typeof ZPiiCategory>;

/** Labels for the UI ("looks like <plural>"), and the HIPAA Safe Harbor identifier each category falls under. */
export const PII_CATEGORY_INFO: Record<TPiiCategory, { label: string; plural: string; hipaa: string }> = {
  first_name: { label: "First name", plural: "first names", hipaa: "Names" },
  last_name: { label: "Last name", plural: "last names", hipaa: "Names" },
  full_name: { label: "Full name", plural: "full names", hipaa: "Names" },
  username: { label: "Username", plural: "usernames", hipaa: "Other unique identifying numbers or codes" },
  street_address: { label: "Street address", plural: "street addresses", hipaa: "Geographic subdivisions smaller than a state" },
  city: { label: "City or county", plural: "cities or counties", hipaa: "Geographic subdivisions smaller than a state" },
  postal_code: { label: "Postal code", plural: "postal codes", hipaa: "Geographic subdivisions smaller than a state" },
  geo_coordinates: { label: "Coordinates", plural: "coordinates", hipaa: "Geographic subdivisions smaller than a state" },
  birth_date: { label: "Birth date", plural: "birth dates", hipaa: "Dates related to an individual" },
  person_date: { label: "Date about a person", plural: "dates about a person", hipaa: "Dates related to an individual" },
  phone: { label: "Phone or fax number", plural: "phone or fax numbers", hipaa: "Telephone and fax numbers" },
  email: { label: "Email address", plural: "email addresses", hipaa: "Email addresses" },
  ssn: { label: "Social Security number", plural: "Social Security numbers", hipaa: "Social Security numbers" },
  medical_record_number: { label: "Medical record number", plural: "medical record numbers", hipaa: "Medical record numbers" },
  health_plan_number: { label: "Health plan number", plural: "health plan numbers", hipaa: "Health plan beneficiary numbers" },
  account_number: { label: "Account number", plural: "account numbers", hipaa: "Account numbers" },
  license_number: { label: "Licence or certificate number", plural: "licence or certificate numbers", hipaa: "Certificate/license numbers" },
  vehicle_id: { label: "Vehicle identifier", plural: "vehicle identifiers", hipaa: "Vehicle identifiers and serial numbers, including licence plates" },
  device_id: { label: "Device identifier", plural: "device identifiers", hipaa: "Device identifiers and serial numbers" },
  url: { label: "URL", plural: "URLs", hipaa: "Web URLs" },
  ip_address: { label: "IP address", plural: "IP addresses", hipaa: "IP addresses" },
  unique_id: { label: "Other unique identifier", plural: "other unique identifiers", hipaa: "Other unique identifying numbers or codes" },
  payment_card: { label: "Payment card number", plural: "payment card numbers", hipaa: "Account numbers" },
  free_text_pii: { label: "Free text with personal data", plural: "free text with personal data", hipaa: "Identifiers inside free text" },
};

/** One candidate category for a column. */
export type PiiMatch = {
  category: TPiiCategory;
  /** 0..1: how sure the scanner is that the column holds this kind of data. */
  confidence: number;
  /** Sampled values that look like this category. */
  matches: number;
  /** Non-empty values sampled. */
  sampled: number;
  /** Why, in plain words (never values), e.g. "the name says email", "200 of 200 values are email addresses". */
  reasons: string[];
};

export const ZPiiAlternative = z.object({
  category: ZPiiCategory,
  confidence: z.number().min(0).max(1),
  matches: z.number().int().min(0),
});

export const ZPiiColumnResult = z.object({
  column: z.string(),
  /** format_type of the column, e.g. "character varying(120)". */
  dataType: z.string(),
  category: ZPiiCategory,
  confidence: z.number().min(0).max(1),
  matches: z.number().int().min(0),
  sampled: z.number().int().min(0),
  reasons: z.array(z.string()),
  /** Masked, bounded-length examples: never a raw value. */
  examples: z.array(z.string()),
  /** A rule that fits the column's type, or null when no rule fits. */
  suggestedRule: ZRule.nullable(),
  alternatives: z.array(ZPiiAlternative),
});
export type TPiiColumnResult = z.infer<typeof ZPiiColumnResult>;

export const ZPiiTableResult = z.object({
  schema: z.string(),
  table: z.string(),
  /** pg_class.reltuples; null when the table was never analysed. */
  rowsEstimate: z.number().nullable(),
  /** Columns that look like personal data, most confident first. */
  columns: z.array(ZPiiColumnResult),
  /** Columns that were scanned and showed nothing (so the UI can tell "clean" from "not scanned"). */
  clean: z.array(z.string()),
});
export type TPiiTableResult = z.infer<typeof ZPiiTableResult>;

export const ZPiiScanResult = z.object({
  scannedAt: z.string(),
  sampleSize: z.number().int(),
  tables: z.array(ZPiiTableResult),
  /** Tables or columns that could not be scanned and why (plain words, no values). */
  skipped: z.array(z.object({ schema: z.string(), table: z.string(), column: z.string().optional(), reason: z.string() })),
  totals: z.object({
    tables: z.number().int(),
    columnsScanned: z.number().int(),
    columnsFlagged: z.number().int(),
    durationMs: z.number(),
  }),
});
export type TPiiScanResult = z.infer<typeof ZPiiScanResult>;
/** The name the brief uses for the job report. */
export type PiiScanResult = TPiiScanResult;

export type PiiScanProgress = { tablesDone: number; tablesTotal: number; schema?: string; table?: string };
