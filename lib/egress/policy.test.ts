import { afterEach, describe, expect, it } from "vitest";
import { LOOPBACK_SPELLINGS, OTHER_INTERNAL_SPELLINGS } from "../../test/egress";
import { egressAllowList, isInternalAddress, judgeHost, parseIp } from "./policy";

// The spelling half of the egress policy; resolve.int.test.ts covers DNS and real sockets.

const saved = process.env.DOPPEL_EGRESS_ALLOW;
afterEach(() => {
  if (saved === undefined) delete process.env.DOPPEL_EGRESS_ALLOW;
  else process.env.DOPPEL_EGRESS_ALLOW = saved;
});


describe("egress policy: spellings", () => {
  it("parses every inet_aton and IPv6 spelling of loopback to 127.0.0.1 / ::1", () => {
    for (const s of ["127.0.0.1", "127.1", "127.0.1", "2130706433", "0x7f000001", "0x7f.1", "0177.0.0.1", "017700000001"]) expect(parseIp(s), s).toEqual([127, 0, 0, 1]);
    expect(parseIp("::ffff:127.0.0.1")).toEqual(parseIp("::ffff:7f00:1"));
    expect(parseIp("[::1]")).toEqual([...Array(15).fill(0), 1]);
    for (const bad of ["256.0.0.1", "1.2.3.4.5", "08.1.1.1", "1::2::3", "12345::", "example.com"]) expect(parseIp(bad), bad).toBeNull();
  });

  it("refuses every internal spelling by default", () => {
    delete process.env.DOPPEL_EGRESS_ALLOW;
    for (const s of [...LOOPBACK_SPELLINGS, ...OTHER_INTERNAL_SPELLINGS, "LOCALHOST.", "db.localhost", "::ffff:8.8.8.8", "127.255.255.254", "239.255.255.250", "240.0.0.1", "a b", ""]) expect(judgeHost(s, 5432), s).toBe("refused");
  });

  it("accepts public addresses, and leaves host names to DNS", () => {
    delete process.env.DOPPEL_EGRESS_ALLOW;
    for (const s of ["8.8.8.8", "1.1.1.1", "2606:4700::1111", "172.32.0.1", "100.128.0.1", "64:ff9b::808:808", "203.0.113.9"]) expect(judgeHost(s, 5432), s).toBe("allowed");
    for (const s of ["db.example.com", "s3.us-east-1.amazonaws.com", "localhost.example.com"]) expect(judgeHost(s, 5432), s).toBe("resolve");
    expect(isInternalAddress(parseIp("9.255.255.255")!)).toBe(false);
  });

  it("the allow-list opens exactly its CIDRs and host:port pairs", () => {
    process.env.DOPPEL_EGRESS_ALLOW = " 10.0.0.0/8, 127.0.0.1:5432,[::1]:6543 , db.internal:5432, /var/run/postgresql:5432";
    expect(judgeHost("10.9.8.7", 1)).toBe("allowed");
    expect(judgeHost("127.0.0.1", 5432)).toBe("allowed");
    expect(judgeHost("127.1", 5432)).toBe("allowed"); // the same address
    expect(judgeHost("127.0.0.1", 5433)).toBe("refused");
    expect(judgeHost("127.0.0.2", 5432)).toBe("refused");
    expect(judgeHost("::1", 6543)).toBe("allowed");
    expect(judgeHost("::1", 5432)).toBe("refused");
    expect(judgeHost("::ffff:127.0.0.1", 5432)).toBe("refused"); // another address family
    expect(judgeHost("DB.internal.", 5432)).toBe("allowed");
    expect(judgeHost("db.internal", 5433)).toBe("resolve");
    expect(judgeHost("/var/run/postgresql/", 5432)).toBe("allowed");
    expect(judgeHost("/tmp", 5432)).toBe("refused");
    expect(judgeHost("192.168.0.1", 5432)).toBe("refused");
  });

  it("names an allow-list entry it cannot read", () => {
    process.env.DOPPEL_EGRESS_ALLOW = "10.0.0.0/8,127.1:5432";
    expect(() => egressAllowList()).toThrow(/"127\.1:5432" is neither a CIDR/);
    process.env.DOPPEL_EGRESS_ALLOW = "10.0.0.0/33";
    expect(() => egressAllowList()).toThrow(/10\.0\.0\.0\/33/);
  });
});
