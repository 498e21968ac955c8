import { PII_CATEGORY_INFO, type TPiiCategory } from "./types";

// A scanner finding in plain words, for the scan page, the drift banner and the editor's
// suggestions: "looks like email addresses, 200 of 200 samples", and how sure the scanner is.

export type FindingFacts = { category: TPiiCategory; confidence: number; matches: number; sampled: number };

/** "very likely" (≥ 0.8), "likely" (≥ 0.5) or "possibly": the scanner's confidence in words. */
export function confidenceWords(confidence: number): "very likely" | "likely" | "possibly" {
  return confidence >= 0.8 ? "very likely" : confidence >= 0.5 ? "likely" : "possibly";
}

/** What the samples showed: "200 of 200 samples", or that only the column's name speaks for it. */
export function evidenceWords(f: FindingFacts): string {
  if (f.sampled === 0) return "by its name (no values to sample)";
  if (f.matches === 0) return `by its name (none of ${f.sampled} samples match)`;
  return `${f.matches} of ${f.sampled} sample${f.sampled === 1 ? "" : "s"}`;
}

/** "looks like email addresses, 200 of 200 samples" */
export function describeFinding(f: FindingFacts): string {
  return `looks like ${PII_CATEGORY_INFO[f.category].plural}, ${evidenceWords(f)}`;
}
