// Where the workers may connect on a customer's behalf (the egress policy). Pure TypeScript, no
// Node imports: the connection schema (lib/schemas/connection.ts) runs the same syntactic check
// that the engine runs after DNS (lib/egress/resolve.ts), so the form refuses at save what a
// run would refuse.
//
// Refused by default: loopback, private (RFC 1918, CGNAT, ULA), link-local, unspecified,
// multicast, broadcast/reserved, IPv4-mapped and -compatible IPv6, NAT64/6to4 forms of those,
// `localhost` names, and unix socket paths. A self-hosting operator allows what they need with
// DOPPEL_EGRESS_ALLOW: comma-separated CIDRs (`10.0.0.0/8`, `::1/128`) and `host:port` entries
// (`db.internal:5432`, `127.0.0.1:5432`, `[::1]:5432`, a socket directory `/var/run/postgresql:5432`).

/** The one message for every refused host, whatever its spelling. */
export const EGRESS_REFUSED_MESSAGE =
  "Doppel does not connect to internal addresses (loopback, private, link-local, multicast) or socket paths, and this host is one. " +
  "If you host Doppel yourself and this server is yours, allow it in the DOPPEL_EGRESS_ALLOW setting of the web app and the workers (a CIDR such as 10.0.0.0/8, or host:port).";

export class EgressRefusedError extends Error {
  readonly code = "EGRESS_REFUSED";
  constructor() {
    super(EGRESS_REFUSED_MESSAGE);
    this.name = "EgressRefusedError";
  }
}

/** An address as bytes: 4 for IPv4, 16 for IPv6. */
export type IpBytes = number[];

type AllowEntry =
  | { kind: "cidr"; bytes: IpBytes; bits: number }
  | { kind: "ip-port"; bytes: IpBytes; port: number }
  | { kind: "name-port"; name: string; port: number }
  | { kind: "socket-port"; path: string; port: number };

/** Parses an IPv4 address the way inet_aton (and so getaddrinfo and URL parsers) do: `127.1`, `2130706433`, `0x7f000001`, `0177.0.0.1`. */
export function parseIpv4(text: string): IpBytes | null {
  const parts = text.endsWith(".") ? text.slice(0, -1).split(".") : text.split(".");
  if (parts.length === 0 || parts.length > 4) return null;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0x[0-9a-f]*$/i.test(p)) n = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]+$/.test(p)) n = parseInt(p, 8);
    else if (/^(0|[1-9][0-9]*)$/.test(p)) n = Number(p);
    else return null;
    if (!Number.isSafeInteger(n)) return null;
    nums.push(n);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255) || last >= 256 ** (4 - nums.length)) return null;
  const bytes = [...nums];
  for (let i = 3 - nums.length; i >= 0; i--) bytes.push(Math.floor(last / 256 ** i) % 256);
  return bytes;
}

/** Parses an IPv6 address (brackets and a zone id such as `%eth0` allowed; an embedded dotted IPv4 tail too). */
export function parseIpv6(text: string): IpBytes | null {
  let s = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  s = s.replace(/%[^%]*$/, "");
  if (!s.includes(":") || !/^[0-9a-f:.]+$/i.test(s)) return null;
  const lastColon = s.lastIndexOf(":");
  if (s.slice(lastColon + 1).includes(".")) {
    // An embedded IPv4 tail (::ffff:127.0.0.1) becomes its two 16-bit words.
    const v4 = parseStrictIp(s.slice(lastColon + 1));
    if (!v4 || v4.length !== 4) return null;
    s = `${s.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const words = (h: string) => (h === "" ? [] : h.split(":"));
  const head = words(halves[0]!);
  const rest = halves.length === 2 ? words(halves[1]!) : [];
  if (head.concat(rest).some((w) => !/^[0-9a-f]{1,4}$/i.test(w))) return null;
  const fill = 8 - head.length - rest.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return null;
  const all = [...head, ...Array<string>(fill).fill("0"), ...rest].map((w) => parseInt(w, 16));
  return all.flatMap((w) => [w >> 8, w & 255]);
}

export function parseIp(text: string): IpBytes | null {
  return parseIpv4(text) ?? parseIpv6(text);
}

function inPrefix(bytes: IpBytes, prefix: IpBytes, bits: number): boolean {
  if (bytes.length !== prefix.length) return false;
  for (let i = 0; i < bits; i++) {
    const bit = (b: IpBytes) => (b[i >> 3]! >> (7 - (i & 7))) & 1;
    if (bit(bytes) !== bit(prefix)) return false;
  }
  return true;
}

const V4_REFUSED: [string, number][] = [
  ["0.0.0.0", 8], // "this network", incl. 0.0.0.0
  ["10.0.0.0", 8], ["172.16.0.0", 12], ["192.168.0.0", 16], // RFC 1918
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (cloud metadata lives here)
  ["192.0.0.0", 24], // IETF protocol assignments
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, incl. 255.255.255.255
];
const V6_REFUSED: [string, number][] = [
  ["::", 96], // unspecified, loopback and IPv4-compatible (::a.b.c.d)
  ["::ffff:0:0", 96], // IPv4-mapped
  ["::ffff:0:0:0", 96], // IPv4-translated
  ["64:ff9b:1::", 48], // local-use NAT64
  ["100::", 64], // discard
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
];
const compile = (list: [string, number][]) => list.map(([ip, bits]) => ({ bytes: parseIp(ip)!, bits }));
const V4_RANGES = compile(V4_REFUSED);
const V6_RANGES = compile(V6_REFUSED);

/** True when the address is not a public unicast address (the defaults refuse it). */
export function isInternalAddress(bytes: IpBytes): boolean {
  if (bytes.length === 4) return V4_RANGES.some((r) => inPrefix(bytes, r.bytes, r.bits));
  if (V6_RANGES.some((r) => inPrefix(bytes, r.bytes, r.bits))) return true;
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address: judged by that address.
  if (inPrefix(bytes, parseIp("64:ff9b::")!, 96)) return isInternalAddress(bytes.slice(12));
  if (inPrefix(bytes, parseIp("2002::")!, 16)) return isInternalAddress(bytes.slice(2, 6));
  return false;
}

const HOST_NAME = /^(?=.{1,253}\.?$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;
const normalName = (name: string) => name.toLowerCase().replace(/\.$/, "");
const sameBytes = (a: IpBytes, b: IpBytes) => a.length === b.length && a.every((x, i) => x === b[i]);

function parsePort(text: string): number | null {
  return /^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535 ? Number(text) : null;
}

function parseEntry(entry: string): AllowEntry | null {
  if (entry.startsWith("/")) {
    const at = entry.lastIndexOf(":");
    const port = at > 0 ? parsePort(entry.slice(at + 1)) : null;
    return port ? { kind: "socket-port", path: entry.slice(0, at).replace(/\/+$/, "") || "/", port } : null;
  }
  const slash = entry.lastIndexOf("/");
  if (slash > 0) {
    const bytes = parseStrictIp(entry.slice(0, slash));
    const bits = /^\d{1,3}$/.test(entry.slice(slash + 1)) ? Number(entry.slice(slash + 1)) : -1;
    return bytes && bits >= 0 && bits <= bytes.length * 8 ? { kind: "cidr", bytes, bits } : null;
  }
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(entry) ?? /^([^:]+):(\d+)$/.exec(entry);
  const port = m ? parsePort(m[2]!) : null;
  if (!m || !port) return null;
  const bytes = parseStrictIp(m[1]!);
  if (bytes) return { kind: "ip-port", bytes, port };
  return !parseIp(m[1]!) && HOST_NAME.test(m[1]!) ? { kind: "name-port", name: normalName(m[1]!), port } : null;
}

/** Allow-list entries are written by operators: only plain dotted IPv4 or IPv6, no inet_aton shorthands. */
function parseStrictIp(text: string): IpBytes | null {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(text) ? parseIpv4(text) : parseIpv6(text);
}

let cached: { raw: string; entries: AllowEntry[] } | null = null;

/** DOPPEL_EGRESS_ALLOW, parsed (the one place it is read). Throws on an entry it cannot read, naming it. */
export function egressAllowList(): AllowEntry[] {
  const raw = (typeof process !== "undefined" ? process.env.DOPPEL_EGRESS_ALLOW : undefined) ?? "";
  if (cached?.raw === raw) return cached.entries;
  const entries: AllowEntry[] = [];
  for (const part of raw.split(",").map((p) => p.trim()).filter(Boolean)) {
    const entry = parseEntry(part);
    if (!entry) throw new Error(`DOPPEL_EGRESS_ALLOW: "${part}" is neither a CIDR (10.0.0.0/8, ::1/128) nor host:port (db.internal:5432, [::1]:5432). Fix the setting and restart.`);
    entries.push(entry);
  }
  cached = { raw, entries };
  return entries;
}

/** May a session go to this address (as resolved from `host`) and port? */
export function addressAllowed(bytes: IpBytes, port: number, host: string): boolean {
  if (!isInternalAddress(bytes)) return true;
  const name = normalName(host);
  return egressAllowList().some((e) =>
    e.kind === "cidr" ? inPrefix(bytes, e.bytes, e.bits)
      : e.kind === "ip-port" ? e.port === port && sameBytes(e.bytes, bytes)
        : e.kind === "name-port" && e.port === port && e.name === name);
}

/**
 * What can be decided from the host's spelling alone: "allowed" (a public or allow-listed IP,
 * an allow-listed name or socket), "refused", or "resolve" (a host name: DNS decides, see resolve.ts).
 */
export function judgeHost(host: string, port: number): "allowed" | "refused" | "resolve" {
  const h = host.trim();
  if (h.startsWith("/")) {
    const path = h.replace(/\/+$/, "") || "/";
    return egressAllowList().some((e) => e.kind === "socket-port" && e.path === path && e.port === port) ? "allowed" : "refused";
  }
  const bytes = parseIp(h);
  if (bytes) return addressAllowed(bytes, port, h) ? "allowed" : "refused";
  if (!HOST_NAME.test(h)) return "refused"; // paths, `host=` strings, spaces: never a host name
  const name = normalName(h);
  if (egressAllowList().some((e) => e.kind === "name-port" && e.name === name && e.port === port)) return "allowed";
  // RFC 6761: localhost names always resolve to loopback.
  if (name === "localhost" || name.endsWith(".localhost")) return "refused";
  return "resolve";
}

/** The port a URL endpoint connects to (explicit, else 443 for https and 80 for http). */
export function endpointHostPort(endpoint: string): { host: string; port: number } {
  const url = new URL(endpoint);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return { host, port: url.port ? Number(url.port) : url.protocol === "http:" ? 80 : 443 };
}
