import type { TPiiCategory } from "./types";

// A scanner finding in plain words, for the editor and the scan page:
// "looks like email addresses, 200 of 200 samples".

const PLURAL: Record<TPiiCategory, string> = {
  first_name: "first names", last_name: "last names", full_name: "full names", username: "usernames",
  street_address: "street addresses", city: "cities or counties", postal_code: "postal codes", geo_coordinates: "coordinates",
  birth_date: "birth dates", person_date: "dates about people", phone: "phone or fax numbers", email: "email addresses",
  ssn: "Social Security numbers", medical_record_number: "medical record numbers", health_plan_number: "health plan numbers",
  account_number: "account numbers", license_number: "licence or certificate numbers", vehicle_id: "vehicle identifiers",
  device_id: "device identifiers", url: "URLs", ip_address: "IP addresses", unique_id: "identifiers of people",
  payment_card: "payment card numbers", free_text_pii: "free text with personal data",
};

export function confidenceWords(confidence: number): string {
  return confidence >= 0.8 ? "very likely" : confidence >= 0.5 ? "likely" : "possibly";
}

/** "looks like email addresses, 200 of 200 samples" (or "by its name" when no value matched). */
export function findingWords(f: { category: TPiiCategory; matches: number; sampled: number }): string {
  const evidence = f.sampled > 0 && f.matches > 0 ? `${f.matches} of ${f.sampled} samples` : "by its name";
  return `looks like ${PLURAL[f.category]}, ${evidence}`;
}
