import { afterEach, describe, expect, it } from "vitest";
import { defaultTlsMode, ZPgConnection } from "./connection";

// TLS is on unless the server is on this machine or the operator allowed its internal address.

const saved = process.env.DOPPEL_EGRESS_ALLOW;
afterEach(() => {
  if (saved === undefined) delete process.env.DOPPEL_EGRESS_ALLOW;
  else process.env.DOPPEL_EGRESS_ALLOW = saved;
});

describe("default TLS mode", () => {
  it("is disable for localhost, loopback and socket paths, require for every other host", () => {
    for (const host of ["localhost", "db.localhost", "127.0.0.1", "127.1.2.3", "::1", "/var/run/postgresql"]) expect(defaultTlsMode(host, 5432), host).toBe("disable");
    for (const host of ["db.example.com", "8.8.8.8", "2001:db8::1", "10.0.0.5", "db.internal"]) expect(defaultTlsMode(host, 5432), host).toBe("require");
  });

  it("is disable for an internal address or name the operator allowed (their own network)", () => {
    process.env.DOPPEL_EGRESS_ALLOW = "10.0.0.0/8,db.internal:5432";
    expect(defaultTlsMode("10.0.0.5", 5432)).toBe("disable");
    expect(defaultTlsMode("db.internal", 5432)).toBe("disable");
    expect(defaultTlsMode("db.internal", 6432)).toBe("require");
  });

  it("is the schema's default when no mode is given; a chosen mode stays", () => {
    const base = { port: 5432, database: "d", user: "u" };
    process.env.DOPPEL_EGRESS_ALLOW = "127.0.0.1:5432"; // the quick start's demo server
    expect(ZPgConnection.parse({ ...base, host: "db.example.com" }).tlsMode).toBe("require");
    expect(ZPgConnection.parse({ ...base, host: "127.0.0.1" }).tlsMode).toBe("disable");
    expect(ZPgConnection.parse({ ...base, host: "db.example.com", tlsMode: "disable" }).tlsMode).toBe("disable");
  });
});
