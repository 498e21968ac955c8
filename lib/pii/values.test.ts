import { describe, expect, it } from "vitest";
import * as V from "./values";

describe("value patterns", () => {
  it("checks Luhn", () => {
    expect(V.luhnValid("79927398713")).toBe(true);
    expect(V.luhnValid("79927398710")).toBe(false);
    expect(V.luhnValid("4111111111111111")).toBe(true);
    expect(V.luhnValid("")).toBe(false);
    expect(V.luhnValid("12a4")).toBe(false);
  });

  it("accepts card numbers only with a network prefix, 13–19 digits and a valid check digit", () => {
    expect(V.isCardNumber("4111 1111 1111 1111")).toBe(true);
    expect(V.isCardNumber("5555-5555-5555-4444")).toBe(true);
    expect(V.isCardNumber("378282246310005")).toBe(true);
    expect(V.isCardNumber("4111111111111112")).toBe(false);
    expect(V.isCardNumber("0000000000000000")).toBe(false);
    expect(V.isCardNumber("411111111111")).toBe(false);
  });

  it("tells SSNs from other dashed numbers", () => {
    expect(V.isSsn("123-45-6789")).toBe(true);
    expect(V.isSsn("123 45 6789")).toBe(true);
    expect(V.isSsn("000-12-3456")).toBe(false);
    expect(V.isSsn("666-12-3456")).toBe(false);
    expect(V.isSsn("123-00-3456")).toBe(false);
    expect(V.isSsn("123456789")).toBe(false);
    expect(V.isSsn("123456789", true)).toBe(true);
    expect(V.isSsn("2024-01-02")).toBe(false);
  });

  it("recognises phone numbers but not dates, IPs, SSNs or plain numbers", () => {
    for (const p of ["+1-555-123-4567", "(555) 123-4567", "555.123.4567", "+44 20 7946 0958", "+15551234567", "555-123-4567 x89"]) {
      expect(V.isPhone(p), p).toBe(true);
    }
    for (const p of ["2024-01-02", "192.168.10.1", "123-45-6789", "5551234567", "12.5", "1234", "call me"]) {
      expect(V.isPhone(p), p).toBe(false);
    }
    expect(V.isPhone("5551234567", false)).toBe(true);
  });

  it("recognises emails, IPs, URLs, postal codes, IBANs, VINs, MACs, dates", () => {
    expect(V.isEmail("a.b+c@mail.example.com")).toBe(true);
    expect(V.isEmail("not an@email")).toBe(false);
    expect(V.isIpAddress("10.0.0.1")).toBe(true);
    expect(V.isIpAddress("2001:db8::1")).toBe(true);
    expect(V.isIpAddress("10.0.0.0/8")).toBe(true);
    expect(V.isIpAddress("300.1.1.1")).toBe(false);
    expect(V.isUrl("https://example.com/a")).toBe(true);
    expect(V.isUrl("example")).toBe(false);
    expect(V.isPostalCode("12345")).toBe(true);
    expect(V.isPostalCode("SW1A 1AA")).toBe(true);
    expect(V.isDistinctivePostalCode("12345")).toBe(false);
    expect(V.isIban("GB82 WEST 1234 5698 7654 32")).toBe(true);
    expect(V.isIban("GB82 WEST 1234 5698 7654 33")).toBe(false);
    expect(V.isVin("1HGCM82633A004352")).toBe(true);
    expect(V.isVin("AAAAAAAAAAAAAAAAA")).toBe(false);
    expect(V.isMacAddress("00:1a:2b:3c:4d:5e")).toBe(true);
    expect(V.isImei("490154203237518")).toBe(true);
    expect(V.isBirthDate("1987-03-05")).toBe(true);
    expect(V.isBirthDate("2999-03-05")).toBe(false);
    expect(V.isBirthDate("03/05/1987")).toBe(true);
    expect(V.dateYear("2024-13-01")).toBeNull();
  });

  it("finds identifiers inside free text, not look-alikes", () => {
    const text = "Call 555-123-4567 or write to jo@example.org; SSN 123-45-6789, card 4111 1111 1111 1111, from 10.20.30.40 on 2024-01-02.";
    expect(V.findEmbedded(text).map((f) => [f.kind, text.slice(f.start, f.end)])).toEqual([
      ["phone", "555-123-4567"], ["email", "jo@example.org"], ["ssn", "123-45-6789"], ["payment_card", "4111 1111 1111 1111"],
    ]);
    expect(V.findEmbedded("Order #12345 shipped in 3 boxes, version 1.2.3")).toEqual([]);
  });
});
