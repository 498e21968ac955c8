import { faker } from "@faker-js/faker";
import { beforeEach, describe, expect, it } from "vitest";
import { classifyColumn, jsonLeaves, type ClassifyInput } from "./classify";
import { nameTokens, normalizeName } from "./names";
import type { TPiiCategory } from "./types";

const N = 60;
const many = (f: () => string, n = N) => Array.from({ length: n }, f);
const run = (column: string, table: string, baseType: string, values: (string | null)[]) => classifyColumn({ column, table, baseType, values } as ClassifyInput);

function luhnComplete(prefix: string): string {
  for (let d = 0; d < 10; d++) {
    const s = prefix + d;
    let sum = 0;
    for (let i = 0; i < s.length; i++) {
      let x = Number(s[s.length - 1 - i]);
      if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error("unreachable");
}

beforeEach(() => faker.seed(7));

describe("nameTokens", () => {
  it("splits snake, camel, kebab and digits, singularises plurals", () => {
    expect(nameTokens("dateOfBirth")).toEqual(["date", "of", "birth"]);
    expect(normalizeName("Customer-Emails")).toBe("customer_email");
    expect(normalizeName("addressLine2")).toBe("address_line_2");
    expect(normalizeName("IPAddress")).toBe("ip_address");
    expect(normalizeName("status")).toBe("status");
    expect(normalizeName("cities")).toBe("city");
  });
});

describe("classifyColumn: each category from generated fake values", () => {
  const cases: [string, string, string, () => string, TPiiCategory][] = [
    ["email", "customers", "text", () => faker.internet.email(), "email"],
    ["EmailAddress", "users", "varchar", () => faker.internet.email(), "email"],
    ["first_name", "customers", "text", () => faker.person.firstName(), "first_name"],
    ["fname", "patients", "varchar", () => faker.person.firstName(), "first_name"],
    ["givenName", "people", "text", () => faker.person.firstName(), "first_name"],
    ["last_name", "customers", "text", () => faker.person.lastName(), "last_name"],
    ["surname", "members", "text", () => faker.person.lastName(), "last_name"],
    ["name", "patients", "text", () => faker.person.fullName(), "full_name"],
    ["emergency_contact_name", "admissions", "text", () => faker.person.fullName(), "full_name"],
    ["username", "accounts", "text", () => faker.internet.username(), "username"],
    ["phone", "customers", "text", () => faker.phone.number(), "phone"],
    ["msisdn", "subscribers", "text", () => `+${faker.string.numeric(11)}`, "phone"],
    ["fax_number", "clinics", "text", () => faker.phone.number({ style: "national" }), "phone"],
    ["ssn", "employees", "text", () => `${faker.number.int({ min: 100, max: 665 })}-${faker.number.int({ min: 10, max: 99 })}-${faker.number.int({ min: 1000, max: 9999 })}`, "ssn"],
    ["ssn", "employees", "int4", () => String(faker.number.int({ min: 100_00_0000, max: 665_99_9999 })), "ssn"],
    ["dob", "patients", "date", () => faker.date.birthdate().toISOString().slice(0, 10), "birth_date"],
    ["birthDate", "patients", "text", () => faker.date.birthdate().toISOString().slice(0, 10), "birth_date"],
    ["admission_date", "stays", "timestamptz", () => faker.date.past().toISOString(), "person_date"],
    ["discharged_at", "stays", "timestamp", () => faker.date.past().toISOString(), "person_date"],
    ["street_address", "customers", "text", () => faker.location.streetAddress(), "street_address"],
    ["address_line_1", "shipments", "text", () => faker.location.streetAddress(), "street_address"],
    ["city", "customers", "text", () => faker.location.city(), "city"],
    ["county", "patients", "text", () => faker.location.county(), "city"],
    ["zip", "customers", "varchar", () => faker.location.zipCode("#####"), "postal_code"],
    ["zip_code", "customers", "int4", () => faker.string.numeric({ length: 5, exclude: ["0"] }), "postal_code"],
    ["latitude", "visits", "float8", () => String(faker.location.latitude()), "geo_coordinates"],
    ["mrn", "patients", "text", () => `MRN${faker.string.numeric(8)}`, "medical_record_number"],
    ["insurance_member_id", "patients", "text", () => faker.string.alphanumeric(3).toUpperCase() + faker.string.numeric(9), "health_plan_number"],
    ["account_number", "payments", "text", () => faker.finance.accountNumber(10), "account_number"],
    ["iban", "payouts", "text", () => faker.finance.iban(), "account_number"],
    ["drivers_license_number", "drivers", "text", () => faker.string.alpha(1).toUpperCase() + faker.string.numeric(7), "license_number"],
    ["vin", "vehicles", "text", () => faker.vehicle.vin(), "vehicle_id"],
    ["license_plate", "vehicles", "text", () => faker.vehicle.vrm(), "vehicle_id"],
    ["mac_address", "devices", "text", () => faker.internet.mac(), "device_id"],
    ["serial_number", "implants", "text", () => faker.string.alphanumeric(12).toUpperCase() + faker.string.numeric(2), "device_id"],
    ["website", "users", "text", () => faker.internet.url(), "url"],
    ["ip_address", "sessions", "text", () => faker.internet.ip(), "ip_address"],
    ["remote_addr", "requests", "inet", () => faker.internet.ipv4(), "ip_address"],
    ["passport_number", "travellers", "text", () => faker.string.alpha(2).toUpperCase() + faker.string.numeric(7), "unique_id"],
    ["card_number", "payments", "text", () => faker.finance.creditCardNumber(), "payment_card"],
    ["cc_number", "payments", "int8", () => luhnComplete(`4${faker.string.numeric(14)}`), "payment_card"],
  ];
  it.each(cases)("%s in %s (%s)", (column, table, baseType, gen, category) => {
    const r = run(column, table, baseType, many(gen));
    expect(r.best?.category).toBe(category);
    expect(r.best!.confidence).toBeGreaterThanOrEqual(0.9);
    expect(r.best!.matches).toBeGreaterThan(N * 0.5);
    expect(r.best!.sampled).toBe(N);
    expect(r.examples.length).toBeGreaterThan(0);
  });

  it("recognises specific values without a telling column name", () => {
    const cases: [() => string, TPiiCategory][] = [
      [() => faker.internet.email(), "email"],
      [() => faker.phone.number({ style: "international" }), "phone"],
      [() => luhnComplete(`5${faker.string.numeric(14)}`), "payment_card"],
      [() => faker.internet.ipv4(), "ip_address"],
      [() => faker.finance.iban(), "account_number"],
      [() => faker.internet.mac(), "device_id"],
    ];
    for (const [gen, category] of cases) {
      const r = run("value", "misc", "text", many(gen));
      expect(r.best?.category, category).toBe(category);
      expect(r.best!.confidence).toBeGreaterThanOrEqual(0.6);
      expect(r.best!.confidence).toBeLessThan(0.95);
    }
  });
});

describe("classifyColumn: calibration and false positives", () => {
  it("is near-certain for an email column of emails, less so for notes with an email inside", () => {
    const email = run("email", "customers", "text", many(() => faker.internet.email()));
    expect(email.best!.confidence).toBeGreaterThanOrEqual(0.98);
    const notes = run("notes", "tickets", "text", many(() => faker.lorem.sentence()).map((s, i) => (i % 10 === 0 ? `${s} Reach me at ${faker.internet.email()}` : s)));
    expect(notes.best?.category).toBe("free_text_pii");
    expect(notes.best!.confidence).toBeGreaterThan(0.5);
    expect(notes.best!.confidence).toBeLessThan(0.9);
    expect(notes.best!.matches).toBe(N / 10);
    expect(notes.examples[0]).toMatch(/^….•••@.•••\.[a-z]+…$/);
    const once = run("comment", "tickets", "text", many(() => faker.lorem.sentence()).map((s, i) => (i === 0 ? `${s} call ${faker.phone.number({ style: "national" })}` : s)));
    expect(once.best!.confidence).toBeLessThan(notes.best!.confidence);
  });

  it("finds nothing in statuses, amounts, ids and event timestamps", () => {
    expect(run("status", "orders", "text", many(() => faker.helpers.arrayElement(["active", "paused", "closed"]))).best).toBeNull();
    expect(run("id", "orders", "int8", many(() => faker.string.numeric(9))).best).toBeNull();
    expect(run("order_id", "shipments", "int8", many(() => faker.string.numeric(9))).best).toBeNull();
    expect(run("order_number", "orders", "text", many(() => faker.string.numeric(9))).best).toBeNull();
    expect(run("reference", "orders", "text", many(() => faker.string.numeric(16))).best).toBeNull();
    expect(run("created_at", "customers", "timestamptz", many(() => faker.date.past().toISOString())).best).toBeNull();
    expect(run("created_on", "customers", "text", many(() => faker.date.past().toISOString().slice(0, 10))).best).toBeNull();
    expect(run("total", "orders", "numeric", many(() => faker.finance.amount())).best).toBeNull();
    expect(run("sku", "products", "text", many(() => faker.string.alphanumeric(8))).best).toBeNull();
    expect(run("version", "releases", "text", many(() => faker.system.semver())).best).toBeNull();
    expect(run("description", "products", "text", many(() => faker.commerce.productDescription())).best).toBeNull();
  });

  it("does not take a company's or product's name for a person's", () => {
    expect(run("name", "companies", "text", many(() => faker.company.name())).best).toBeNull();
    expect(run("name", "products", "text", many(() => faker.commerce.productName())).best).toBeNull();
    expect(run("company_name", "customers", "text", many(() => faker.company.name())).best).toBeNull();
  });

  it("ignores names that describe the value rather than hold it", () => {
    expect(run("email_type", "users", "text", many(() => "work")).best).toBeNull();
    expect(run("phone_verified_at", "users", "text", many(() => faker.date.past().toISOString())).best).toBeNull();
    expect(run("address_id", "users", "text", many(() => faker.string.uuid())).best).toBeNull();
    expect(run("license_key", "installations", "text", many(() => faker.string.alphanumeric(20))).best).toBeNull();
  });

  it("rates a telling name without values lower, and a name its values contradict lower still", () => {
    const unsampled = run("ssn", "employees", "text", []);
    expect(unsampled.best?.category).toBe("ssn");
    expect(unsampled.best!.confidence).toBeLessThan(0.7);
    const contradicted = run("ssn", "employees", "text", many(() => faker.lorem.word()));
    expect(contradicted.best!.confidence).toBeLessThan(unsampled.best!.confidence);
    expect(run("ssn", "employees", "text", [null, "", "N/A"]).best!.sampled).toBe(0);
  });

  it("uses the table to settle weak names", () => {
    const names = many(() => faker.person.fullName());
    expect(run("name", "patients", "text", names).best?.category).toBe("full_name");
    expect(run("name", "warehouses", "text", names).best).toBeNull();
    expect(run("logo_url", "companies", "text", many(() => faker.internet.url())).best!.confidence).toBeLessThan(0.5);
    expect(run("photo_url", "users", "text", many(() => faker.internet.url())).best!.confidence).toBeGreaterThan(0.9);
  });
});

describe("classifyColumn: json documents", () => {
  it("classifies paths inside documents", () => {
    const docs = many(() => JSON.stringify({ owner: { email: faker.internet.email(), "home phone": faker.phone.number({ style: "national" }) }, tags: [faker.word.noun()], n: 3 }));
    const r = run("data", "things", "jsonb", docs);
    expect(r.best?.category).toBe("email");
    expect(r.jsonPaths!.map((p) => [p.path, p.match.category])).toEqual(expect.arrayContaining([["$.owner.email", "email"], ['$.owner["home phone"]', "phone"]]));
    expect(r.jsonPaths!.some((p) => p.path.startsWith("$.tags"))).toBe(false);
  });

  it("lists leaves by path with [*] for arrays", () => {
    const leaves = jsonLeaves({ a: [{ b: "x" }, { b: "y" }], c: 1, d: null, e: true });
    expect([...leaves.entries()]).toEqual([["$.a[*].b", ["x", "y"]], ["$.c", ["1"]]]);
  });

  it("falls back to free text for documents cut short", () => {
    const r = run("payload", "events", "json", many(() => `{"note": "mail ${faker.internet.email()} about`));
    expect(r.best?.category).toBe("free_text_pii");
  });
});
