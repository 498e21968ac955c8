import { maskExamples } from "./mask-example";
import { exactly, isPersonTable, matchName, normalizeName, words } from "./names";
import type { PiiMatch, TPiiCategory } from "./types";
import * as V from "./values";

// Classifies one column from its name (+ its table's name), its type and a sample of its values.
// Two kinds of evidence are combined:
// - the name: a strong pattern (`email`, `dob`, `ssn`) or a weak one that only counts in a table
//   about people (`name` in `customers`, not in `companies`);
// - the values: the share of sampled values that match the category's pattern.
// A name alone gives a middling score, matching values raise it to ~0.99; values alone count only
// for patterns specific enough (emails, Luhn-valid cards, formatted phones), never for numbers
// (an order id is not an SSN) and never for dates (a `created_at` is not a birth date).

export type TypeFamily = "text" | "json" | "integer" | "numeric" | "float" | "date" | "inet" | "mac" | "uuid";

export function typeFamily(baseType: string, typeCategory = ""): TypeFamily | null {
  if (["text", "varchar", "bpchar", "citext", "name"].includes(baseType) || (typeCategory === "S" && baseType !== "char")) return "text";
  if (baseType === "json" || baseType === "jsonb") return "json";
  if (["int2", "int4", "int8"].includes(baseType)) return "integer";
  if (baseType === "numeric") return "numeric";
  if (baseType === "float4" || baseType === "float8") return "float";
  if (["date", "timestamp", "timestamptz"].includes(baseType)) return "date";
  if (baseType === "inet" || baseType === "cidr") return "inet";
  if (baseType === "macaddr" || baseType === "macaddr8") return "mac";
  if (baseType === "uuid") return "uuid";
  return null;
}

type Detector = {
  category: TPiiCategory;
  strong: RegExp;
  /** Counts fully in a table about people; elsewhere at half strength, or not at all with personOnly. */
  weak?: RegExp;
  personOnly?: boolean;
  families: TypeFamily[];
  /** Whether a value looks like this category; `named` when the column's name already says so. */
  value: (v: string, named: boolean) => boolean;
  what: string;
  /** Confidence from values alone (text columns only); absent: values alone never suffice. */
  valueOnly?: number;
  valueOnlyTest?: (v: string) => boolean;
  /** Types that imply the category on their own (inet -> IP address). */
  typeImplies?: TypeFamily[];
};

const ID_FAMILIES: TypeFamily[] = ["text", "integer", "numeric", "uuid"];
const NUM = "(?:_?number|_?no|_?num|_?nr|_?nbr)";
const PERSON_ROLES = "patient|customer|client|person|member|employee|guardian|spouse|parent|mother|father|kin|holder|card_?holder|recipient|billing|shipping|ship_to|bill_to|beneficiary|insured|subscriber|doctor|physician|owner|emergency_contact|contact|legal|birth|sender|payee|signatory|applicant|student|teacher|nurse|caregiver|driver|passenger|guest|attendee|buyer|maiden|alias|manager|agent|rep|referrer|representative";

const DETECTORS: Detector[] = [
  { category: "email", strong: words(`e_?mail(?:_?address|_?addr)?|mail(?:_?address)?|email_?id`), families: ["text"],
    value: (v) => V.isEmail(v), what: "email addresses", valueOnly: 0.92 },
  { category: "phone", strong: words(`phone${NUM}?|telephone${NUM}?|tel${NUM}?|mobile(?:${NUM}|_?phone)?|cell(?:_?phone|${NUM})?|cellphone|msisdn|fax${NUM}?|contact${NUM}|whatsapp|sms${NUM}|landline|pager`),
    families: ["text", "integer", "numeric"], value: (v, named) => V.isPhone(v, !named), what: "phone numbers", valueOnly: 0.75 },
  { category: "ssn", strong: words(`ssn|social_?security(?:${NUM})?|socsec|soc_?sec(?:${NUM})?|ss${NUM}|sin|itin|social_?insurance(?:${NUM})?`),
    families: ["text", "integer", "numeric"], value: (v, named) => V.isSsn(v, named), what: "Social Security numbers", valueOnly: 0.75 },
  { category: "payment_card", strong: words(`card${NUM}|credit_?card(?:${NUM})?|creditcard|cc${NUM}|ccnum|pan|primary_?account${NUM}|debit_?card(?:${NUM})?|payment_?card(?:${NUM})?`),
    families: ["text", "integer", "numeric"], value: (v) => V.isCardNumber(v), what: "Luhn-valid card numbers", valueOnly: 0.88 },
  { category: "ip_address", strong: words(`ip|ips|ip_?addr(?:ess)?|ipv_?[46]?|ip_?v_?[46]|remote_?(?:addr|address|ip|host)|client_?ip|source_?ip|src_?ip|user_?ip|last_?(?:login_?)?ip|x_?forwarded_?for|forwarded_?for`),
    families: ["text", "inet"], value: (v) => V.isIpAddress(v), what: "IP addresses", valueOnly: 0.85, typeImplies: ["inet"] },
  { category: "url", strong: words(`(?:avatar|photo|picture|pic|profile|homepage|home_?page|website|web_?site|personal|linkedin|twitter|facebook|instagram|tiktok|github|social|blog|portfolio|selfie|headshot)(?:_?url|_?uri|_?link)?`),
    weak: words("url|uri|link|href|web"), personOnly: true, families: ["text"], value: (v) => V.isUrl(v), what: "URLs", valueOnly: 0.4 },
  { category: "birth_date", strong: words(`dob|d_o_b|birth_?(?:date|day|dt)|birthdate|birthday|date_of_birth|born(?:_on|_at|_date)?|bdate|date_birth`),
    families: ["date", "text"], value: (v) => V.isBirthDate(v), what: "plausible birth dates" },
  { category: "person_date", strong: words(`(?:death|died|deceased|admission|admit|admitted|discharge|discharged|visit|appointment|appt|encounter|procedure|surgery|operation|diagnosis|diagnosed|treatment|onset|hospitali[sz](?:ed|ation)|injury|accident|vaccination|immuni[sz]ation|prescribed|dispensed|specimen|collection|date_of_(?:death|admission|discharge|service|visit|injury))(?:_?(?:date|dt|at|on|time|day|timestamp|ts))?`),
    families: ["date", "text"], value: (v) => V.isDate(v), what: "dates" },
  { category: "first_name", strong: words(`first_?name|fname|f_name|given_?name|forename|christian_?name|middle_?name|mname|nick_?name|preferred_?name`),
    weak: exactly("first|given|middle"), personOnly: true, families: ["text"], value: (v) => V.isNameWord(v), what: "name-like words" },
  { category: "last_name", strong: words(`last_?name|lname|l_name|surname|family_?name|maiden_?name|sur_?name`),
    weak: exactly("last|family"), personOnly: true, families: ["text"], value: (v) => V.isNameWord(v), what: "name-like words" },
  { category: "full_name", strong: words(`full_?name|fullname|(?:${PERSON_ROLES})_?name|next_of_kin|emergency_contact|account_holder|cardholder|legal_name`),
    weak: exactly("name|display_name|contact|person|patient|holder"), personOnly: true, families: ["text"],
    value: (v, named) => V.isFullName(v) || (named && V.isNameWord(v)), what: "person names" },
  { category: "username", strong: words(`user_?name|screen_?name|handle|twitter_?handle|gamertag|login_?name`), weak: exactly("login|login_id|nick"), personOnly: true,
    families: ["text"], value: (v) => V.isUsername(v), what: "usernames" },
  { category: "street_address", strong: words(`(?<!(?:e_?mail|ip|mac|web|wallet|remote|server|host|local|bind|listen|hardware|btc|eth|crypto|contract|memory|bluetooth|return|reply|sender_e_?mail)_)(?:address|addr)(?:_?line)?(?:_?[0-9])?|street(?:_?name|_?address|_?number|_?line)?|house_?number|address_?line(?:_?[0-9])?|residence|home_?address|mailing_?address|postal_?address`),
    families: ["text"], value: (v) => V.isStreetAddress(v), what: "street addresses", valueOnly: 0.6, valueOnlyTest: V.isDistinctiveStreetAddress },
  { category: "city", strong: words(`city|town|municipality|locality|village|county|borough|suburb|neighbou?rhood|township|parish|hometown|birth_?place|place_of_birth|city_?name`),
    families: ["text"], value: (v) => V.isPlaceName(v), what: "place names" },
  { category: "postal_code", strong: words(`zip|zip_?code|zipcode|postal|postal_?code|postcode|post_?code|plz|cep|pincode|zip_?plus_?4`),
    families: ["text", "integer"], value: (v) => V.isPostalCode(v), what: "postal codes", valueOnly: 0.55, valueOnlyTest: V.isDistinctivePostalCode },
  { category: "geo_coordinates", strong: words(`lat|lng|lon|latitude|longitude|geo|geo_?location|geolocation|coordinate|coord|gps|geo_?point|lat_?lng|lat_?long`),
    families: ["text", "float", "numeric"], value: (v) => V.isCoordinate(v), what: "coordinates" },
  { category: "medical_record_number", strong: words(`mrn|medical_?record(?:${NUM}|_?id)?|med_?rec(?:${NUM})?|chart(?:${NUM}|_?id)|patient${NUM}|health_?record(?:${NUM}|_?id)|ehr_?id|emr_?id`),
    weak: exactly("patient_id|patient_uuid"), families: ID_FAMILIES, value: (v) => V.isIdentifierCode(v) || V.isUuid(v), what: "identifier codes" },
  { category: "health_plan_number", strong: words(`health_?plan(?:${NUM}|_?id)?|insurance(?:${NUM}|_?id|_?member_?id|_?policy)|policy${NUM}|member${NUM}|beneficiary(?:${NUM}|_?id)|subscriber(?:${NUM}|_?id)|medicare(?:${NUM}|_?id)?|medicaid(?:${NUM}|_?id)?|hicn|mbi|group${NUM}|plan_?member_?id`),
    weak: exactly("member_id"), families: ID_FAMILIES, value: (v) => V.isIdentifierCode(v) || V.isUuid(v), what: "identifier codes" },
  { category: "account_number", strong: words(`(?:bank_?)?account${NUM}|acct(?:${NUM})?|bank_?account|iban|routing${NUM}|aba|bsb|sort_?code|billing_?account`),
    families: ["text", "integer", "numeric"], value: (v) => V.isIdentifierCode(v) || V.isIban(v), what: "account numbers", valueOnly: 0.85, valueOnlyTest: V.isIban },
  { category: "vehicle_id", strong: words(`vin|vin${NUM}|vehicle_?identification(?:${NUM})?|licen[cs]e_?plate(?:${NUM})?|number_?plate|plate(?:${NUM})?|registration_?plate|vehicle_?registration|reg_?plate`),
    weak: exactly("vehicle_id|registration_number"), families: ["text"], value: (v) => V.isVin(v) || /^(?=.*\d)[A-Z0-9][A-Z0-9 -]{1,9}$/i.test(v.trim()), what: "vehicle identifiers", valueOnly: 0.7, valueOnlyTest: V.isVin },
  { category: "license_number", strong: words(`licen[cs]e(?:${NUM}|_?id)?|driver_?licen[cs]e(?:${NUM})?|drivers_?licen[cs]e(?:${NUM})?|dl${NUM}|certificate(?:${NUM}|_?id)|cert${NUM}|npi|dea(?:${NUM})?|permit${NUM}`),
    families: ["text", "integer", "numeric"], value: (v) => V.isIdentifierCode(v), what: "identifier codes" },
  { category: "device_id", strong: words(`serial(?:${NUM})?|device_?serial|imei|meid|udid|mac|mac_?address|hardware_?id|hw_?id|idfa|idfv|gaid|advertising_?id|android_?id|device_?(?:id|identifier|uuid|token)|push_?token|implant_?serial|udi`),
    families: ["text", "mac", "uuid", "integer", "numeric"], value: (v) => V.isMacAddress(v) || V.isImei(v) || V.isUuid(v) || V.isIdentifierCode(v),
    what: "device identifiers", valueOnly: 0.8, valueOnlyTest: V.isMacAddress, typeImplies: ["mac"] },
  { category: "unique_id", strong: words(`passport(?:${NUM})?|national_?(?:id|identity|insurance)(?:${NUM})?|nino|nin|tax_?(?:id|payer_?id)|tax${NUM}|taxpayer_?(?:id|number)|tin|nhs${NUM}|aadhaa?r|cpf|curp|personnummer|bsn|id_?card(?:${NUM})?|identity_?(?:number|card|document)|employee${NUM}|student${NUM}|badge(?:${NUM}|_?id)|voter_?id|biometric|fingerprint|face_?id|voice_?print|retina|iris_?scan|customer${NUM}|citizen_?id`),
    weak: exactly("employee_id|student_id"), families: ID_FAMILIES, value: (v) => V.isIdentifierCode(v) || V.isUuid(v), what: "identifier codes" },
];

const FREE_TEXT_NAME = words("note|comment|description|desc|body|message|msg|remark|text|memo|detail|bio|about|summary|history|narrative|reason|instruction|observation|feedback|review|content|transcript|annotation|complaint|symptom|free_?text|additional_?info|misc|other|info");
const EMPTY = /^(?:|n\/?a|none|null|nil|unknown|-+|\?|tbd|not provided|0)$/i;

export type ClassifyInput = {
  column: string;
  table?: string;
  /** pg_type.typname after resolving domains ("text", "varchar", "int8", "date", "jsonb", ...). */
  baseType: string;
  /** pg_type.typcategory, to accept unusual string types. */
  typeCategory?: string;
  values: readonly (string | null)[];
};

export type JsonPathMatch = { path: string; match: PiiMatch };
export type ClassifyResult = {
  best: PiiMatch | null;
  alternatives: PiiMatch[];
  /** Masked examples of the best category (never raw values). */
  examples: string[];
  /** For json/jsonb columns: the paths inside the documents that hold personal data. */
  jsonPaths?: JsonPathMatch[];
};

/** Below this a column is reported as clean. */
export const MIN_CONFIDENCE = 0.3;
const MIN_ALTERNATIVE = 0.2;

const round2 = (x: number) => Math.round(x * 100) / 100;

export function classifyColumn(input: ClassifyInput): ClassifyResult {
  const family = typeFamily(input.baseType, input.typeCategory);
  const values = input.values.filter((v): v is string => v !== null && !EMPTY.test(v.trim()));
  if (family === "json") return classifyJson(input, values);
  if (!family) return { best: null, alternatives: [], examples: [] };
  const normalized = normalizeName(input.column);
  const person = isPersonTable(input.table);
  const scored: { match: PiiMatch; length: number; examples: string[] }[] = [];

  for (const d of DETECTORS) {
    if (!d.families.includes(family)) continue;
    const strongLen = matchName(normalized, d.strong);
    const weakLen = strongLen ? 0 : d.weak ? matchName(normalized, d.weak) : 0;
    let ns = strongLen ? 1 : weakLen ? (person ? 0.9 : d.personOnly ? 0 : 0.5) : 0;
    const reasons: string[] = [];
    if (ns > 0) reasons.push(`the column name suggests ${d.what}`);
    if (d.typeImplies?.includes(family)) {
      ns = Math.max(ns, input.baseType === "cidr" ? 0.5 : 0.8);
      reasons.push(`the column type is ${input.baseType}`);
    }
    const named = ns > 0;
    // Numbers and dates are classified only when the name says what they are.
    if (!named && family !== "text") continue;
    const matching = values.filter((v) => d.value(v, named));
    const rate = values.length ? matching.length / values.length : 0;
    let confidence: number;
    if (named) {
      if (!values.length) {
        confidence = 0.6 * ns;
        reasons.push("no values were available to check");
      } else {
        confidence = rate >= 0.5 ? 0.85 + 0.14 * Math.min(1, (rate - 0.5) / 0.45) : rate > 0 ? 0.5 + 0.6 * rate : 0.35;
        confidence *= 0.6 + 0.4 * ns;
        if (values.length < 10) confidence = Math.min(confidence, 0.6 + 0.03 * values.length);
        reasons.push(`${matching.length} of ${values.length} sampled values look like ${d.what}`);
      }
    } else {
      if (!d.valueOnly || values.length < 3) continue;
      const strict = d.valueOnlyTest ? matching.filter((v) => d.valueOnlyTest!(v)) : matching;
      const strictRate = strict.length / values.length;
      if (strictRate < 0.6) continue;
      confidence = d.valueOnly * (0.75 + 0.25 * Math.min(1, (strictRate - 0.6) / 0.35));
      if (values.length < 10) confidence *= 0.85;
      reasons.push(`${strict.length} of ${values.length} sampled values look like ${d.what}`);
    }
    scored.push({
      match: { category: d.category, confidence: round2(confidence), matches: matching.length, sampled: values.length, reasons },
      length: Math.max(strongLen, weakLen),
      examples: matching,
    });
  }

  if (family === "text") {
    const ft = freeText(normalized, person, values);
    if (ft) scored.push(ft);
  }

  scored.sort((a, b) => b.match.confidence - a.match.confidence || b.length - a.length);
  const best = scored[0] && scored[0].match.confidence >= MIN_CONFIDENCE ? scored[0] : null;
  return {
    best: best?.match ?? null,
    alternatives: scored.slice(best ? 1 : 0).filter((s) => s.match.confidence >= MIN_ALTERNATIVE).slice(0, 3).map((s) => s.match),
    examples: best ? maskExamples(best.match.category, best.examples) : [],
  };
}

/** Identifiers inside longer text (notes with an email or a phone number in them). */
function freeText(normalized: string, person: boolean, values: string[]): { match: PiiMatch; length: number; examples: string[] } | null {
  const textName = matchName(normalized, FREE_TEXT_NAME) > 0;
  const hits = values.filter((v) => !wholeIdentifier(v) && V.findEmbedded(v).length > 0);
  const reasons: string[] = [];
  let confidence = 0;
  if (hits.length) {
    const rate = hits.length / values.length;
    confidence = Math.min(0.9, 0.45 + 0.4 * Math.min(1, rate / 0.25) + (textName ? 0.05 : 0));
    reasons.push(`${hits.length} of ${values.length} sampled values contain an email address, phone, SSN or card number`);
  } else if (textName && person && (values.length === 0 || values.filter((v) => v.trim().split(/\s+/).length >= 3).length / values.length >= 0.3)) {
    confidence = 0.3;
    reasons.push("free text in a table about people may hold personal details");
  }
  if (!confidence) return null;
  if (textName) reasons.unshift("the column name suggests free text");
  return { match: { category: "free_text_pii", confidence: round2(confidence), matches: hits.length, sampled: values.length, reasons }, length: 0, examples: hits };
}

function wholeIdentifier(v: string): boolean {
  return V.isEmail(v) || V.isPhone(v) || V.isSsn(v) || V.isCardNumber(v) || V.isIpAddress(v) || V.isDate(v) || V.isUuid(v) || V.isMacAddress(v);
}

// JSON documents: every string/number leaf is filed under its path (`$.contact.email`,
// `$.phones[*]`) and each path is classified like a text column named after its last key.
const MAX_LEAVES_PER_DOC = 200;
const MAX_DEPTH = 6;

export function jsonLeaves(doc: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let count = 0;
  const walk = (node: unknown, path: string, depth: number) => {
    if (count >= MAX_LEAVES_PER_DOC || depth > MAX_DEPTH || node === null) return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item, `${path}[*]`, depth + 1);
    } else if (typeof node === "object") {
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
        walk(v, /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, depth + 1);
      }
    } else if (typeof node === "string" || typeof node === "number") {
      count++;
      const list = out.get(path) ?? [];
      list.push(String(node));
      out.set(path, list);
    }
  };
  walk(doc, "$", 0);
  return out;
}

function lastKey(path: string): string {
  const keys = [...path.matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\["((?:[^"\\]|\\.)*)"\]/g)].map((m) => m[1] ?? m[2]);
  return keys.at(-1) ?? "";
}

function classifyJson(input: ClassifyInput, values: string[]): ClassifyResult {
  const byPath = new Map<string, string[]>();
  const unparsed: string[] = [];
  for (const v of values) {
    let doc: unknown;
    try {
      doc = JSON.parse(v);
    } catch {
      unparsed.push(v);
      continue;
    }
    for (const [path, leaves] of jsonLeaves(doc)) {
      const list = byPath.get(path) ?? [];
      list.push(...leaves);
      byPath.set(path, list);
    }
  }
  const jsonPaths: JsonPathMatch[] = [];
  let bestExamples: string[] = [];
  for (const [path, leaves] of byPath) {
    const key = lastKey(path);
    if (!key) continue;
    const r = classifyColumn({ column: key, table: input.table, baseType: "text", values: leaves });
    if (!r.best) continue;
    const match = { ...r.best, reasons: r.best.reasons.map((reason) => `${path}: ${reason}`) };
    jsonPaths.push({ path, match });
    if (jsonPaths.length === 1 || match.confidence > jsonPaths[0].match.confidence) bestExamples = r.examples;
  }
  jsonPaths.sort((a, b) => b.match.confidence - a.match.confidence);
  if (!jsonPaths.length && unparsed.length) {
    // Documents cut short by the sampler: look for identifiers in the raw text.
    return classifyColumn({ ...input, baseType: "text", values: unparsed });
  }
  const [first, ...rest] = jsonPaths;
  return {
    best: first?.match ?? null,
    alternatives: rest.slice(0, 3).map((p) => p.match),
    examples: bestExamples,
    jsonPaths,
  };
}
