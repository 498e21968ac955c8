import { faker } from "@faker-js/faker";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_EXAMPLE_LENGTH, maskExample, maskExamples } from "./mask-example";
import { PII_CATEGORIES, type TPiiCategory } from "./types";

// How many letters/digits of the original an example may show, per category: the first
// character of a name, the last four of an SSN or card, the TLD of an email, ...
const REVEAL: Partial<Record<TPiiCategory, number>> = {
  email: 8, ssn: 4, payment_card: 4, phone: 2, ip_address: 4, url: 6, birth_date: 3, person_date: 3, geo_coordinates: 0,
  free_text_pii: 8,
};
const revealed = (s: string) => (s.match(/[\p{L}\p{N}]/gu) ?? []).length;

describe("maskExample", () => {
  it("shows the shape, not the value", () => {
    expect(maskExample("email", "jane.doe@example.com")).toBe("j•••@e•••.com");
    expect(maskExample("ssn", "123-45-6789")).toBe("•••-••-6789");
    expect(maskExample("payment_card", "4111 1111 1111 1111")).toBe("•••• •••• •••• 1111");
    expect(maskExample("phone", "+1 (555) 123-4567 x12")).toBe("+• (•••) •••-••67");
    expect(maskExample("ip_address", "192.168.1.20")).toBe("192.•••.•••.•••");
    expect(maskExample("url", "https://www.jane.dev/about")).toBe("https://j•••");
    expect(maskExample("birth_date", "1987-03-05")).toBe("198•-••-••");
    expect(maskExample("first_name", "Jane")).toBe("J•••");
    expect(maskExample("free_text_pii", "Call me at jane@example.com please")).toBe("…j•••@e•••.com…");
    expect(maskExample("ssn", "12")).toBe("•••-••-••••");
    expect(maskExample("email", "   ")).toBe("");
  });

  it("reveals at most the allowed characters, bounded in length, for any input", () => {
    fc.assert(fc.property(fc.constantFrom(...PII_CATEGORIES), fc.string({ maxLength: 300, unit: "grapheme" }), (category, value) => {
      const out = maskExample(category, value);
      expect([...out].length).toBeLessThanOrEqual(MAX_EXAMPLE_LENGTH);
      expect(revealed(out)).toBeLessThanOrEqual(REVEAL[category] ?? 1);
      if (value.trim().length >= 6) expect(out.includes(value.trim())).toBe(false);
    }), { numRuns: 3000 });
  });

  it("reveals at most the allowed characters of realistic values", () => {
    faker.seed(11);
    const gen: Partial<Record<TPiiCategory, () => string>> = {
      email: () => faker.internet.email(), phone: () => faker.phone.number(), ssn: () => faker.string.numeric(9),
      payment_card: () => faker.finance.creditCardNumber(), ip_address: () => faker.internet.ip(), url: () => faker.internet.url(),
      birth_date: () => faker.date.birthdate().toISOString(), full_name: () => faker.person.fullName(), street_address: () => faker.location.streetAddress(),
      free_text_pii: () => `${faker.lorem.sentence()} ${faker.internet.email()} ${faker.lorem.sentence()}`,
    };
    for (const [category, g] of Object.entries(gen) as [TPiiCategory, () => string][]) {
      for (let i = 0; i < 200; i++) {
        const v = g();
        const out = maskExample(category, v);
        expect(revealed(out), `${category}`).toBeLessThanOrEqual(REVEAL[category] ?? 1);
        expect(out.includes(v)).toBe(false);
      }
    }
  });

  it("gives a few distinct examples", () => {
    expect(maskExamples("first_name", ["Ann", "Anna", "Bob", "Carl", "Dan"])).toEqual(["A•••", "B•••", "C•••"]);
  });
});
