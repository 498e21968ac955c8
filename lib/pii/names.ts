// Column and table names as word lists: `dateOfBirth`, `date_of_birth`, `DateOfBirth2` and
// `DATE-OF-BIRTHS` all become `date_of_birth` (+ digits), so one pattern covers every spelling.

function singular(t: string): string {
  if (t.length > 4 && t.endsWith("ies")) return `${t.slice(0, -3)}y`;
  if (t.length > 4 && t.endsWith("sses")) return t.slice(0, -2);
  if (t.length > 3 && t.endsWith("s") && !/(ss|us|is|os)$/.test(t)) return t.slice(0, -1);
  return t;
}

export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/([A-Za-z])(\d)/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map(singular);
}

export function normalizeName(name: string): string {
  return nameTokens(name).join("_");
}

/** A pattern matched on whole words of the normalised name (`_` between words). */
export function words(src: string): RegExp {
  return new RegExp(`(?:^|_)(?:${src})(?=_|$)`);
}

/** Whole-name pattern: the normalised name must be exactly one of these. */
export function exactly(src: string): RegExp {
  return new RegExp(`^(?:${src})$`);
}

// Words after the match that turn "the value" into something about it: `email_type`,
// `phone_verified_at`, `address_id` (a key), `license_key`, `mobile_app_version`.
const QUALIFIERS = new Set([
  "type", "kind", "status", "state", "verified", "confirmed", "count", "enabled", "flag", "opt", "optin",
  "consent", "preference", "pref", "format", "template", "provider", "valid", "validated", "required",
  "visible", "public", "length", "source", "label", "id", "key", "domain", "country", "at", "on", "sent",
  "bounced", "app", "version", "platform", "os", "carrier", "network", "plan", "model", "server", "host",
  "hash", "mask", "token", "secret", "policy", "setting", "config", "allowed", "blocked", "list",
]);
// Words before the match that do the same: `is_email`, `num_phones`, `max_address_lines`.
const PREFIX_QUALIFIERS = new Set(["is", "has", "num", "count", "total", "n", "max", "min", "avg", "allow", "use", "send", "require", "valid"]);

export type NameHit = { strength: number; length: number };

/**
 * Whether the normalised name matches a pattern as the value itself (not a qualifier of it).
 * Returns the length of the match (longer matches are more specific), or 0.
 */
export function matchName(normalized: string, re: RegExp): number {
  const m = re.exec(normalized);
  if (!m) return 0;
  const start = m.index + (m[0].startsWith("_") ? 1 : 0);
  const end = m.index + m[0].length;
  const before = normalized.slice(0, start).split("_").filter(Boolean);
  const after = normalized.slice(end).split("_").filter(Boolean);
  if (after.some((t) => QUALIFIERS.has(t))) return 0;
  if (before.length && PREFIX_QUALIFIERS.has(before[0])) return 0;
  return end - start;
}

const PERSON_TABLE = words([
  "user", "customer", "client", "patient", "person", "people", "member", "employee", "staff", "contact",
  "subscriber", "student", "guardian", "lead", "applicant", "driver", "doctor", "physician", "nurse",
  "profile", "beneficiary", "insured", "recipient", "visitor", "account", "candidate", "resident",
  "citizen", "passenger", "traveler", "traveller", "guest", "donor", "volunteer", "participant",
  "respondent", "caregiver", "practitioner", "clinician", "therapist", "dependent", "spouse", "parent",
  "child", "children", "family", "attendee", "buyer", "shopper", "learner", "teacher", "signup",
  "registration", "enrollment", "enrolment", "prospect", "borrower", "policyholder", "cardholder",
  "individual", "human", "worker", "athlete", "owner", "emergency_contact", "next_of_kin",
].join("|"));

/** Whether a table's name says it holds one row per person (users, patients, customers...). */
export function isPersonTable(table: string | undefined): boolean {
  return !!table && PERSON_TABLE.test(normalizeName(table));
}
