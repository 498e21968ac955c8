import dns from "node:dns";
import type { LookupFunction } from "node:net";
import { addressAllowed, EgressRefusedError, judgeHost, parseIp } from "./policy";

// The run-time half of the egress policy (policy.ts): a host is resolved once, every address
// it resolves to is checked, and the caller connects to the checked address, never to the name
// again (a second lookup could answer differently: DNS rebinding).

export type EgressTarget = {
  /** Connect here: an IP address, or an allow-listed socket directory. */
  address: string;
  family: 4 | 6 | 0;
  /** The host name for TLS (SNI and certificate check); absent for IP literals and sockets. */
  servername?: string;
};

/** Resolves `host` and checks it for `port`; throws EgressRefusedError (before any packet is sent) or the DNS error. */
export async function resolveEgress(host: string, port: number): Promise<EgressTarget> {
  const h = host.trim();
  const verdict = judgeHost(h, port);
  if (verdict === "refused") throw new EgressRefusedError();
  if (h.startsWith("/")) return { address: h, family: 0 };
  const literal = parseIp(h);
  if (literal) {
    // inet_aton spellings (127.1, 0x7f000001) are connected to in their dotted form.
    const address = literal.length === 4 ? literal.join(".") : h.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
    return { address, family: literal.length === 4 ? 4 : 6 };
  }
  const answers = await dns.promises.lookup(h, { all: true, verbatim: true });
  if (answers.length === 0) throw Object.assign(new Error(`No address for ${h}`), { code: "ENOTFOUND" });
  // An allow-listed name is trusted with whatever it resolves to; any other name must resolve only to public addresses.
  if (verdict === "resolve" && answers.some((a) => !isAllowedAnswer(a.address, port, h))) throw new EgressRefusedError();
  const first = answers[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4, servername: h.replace(/\.$/, "") };
}

/**
 * A `lookup` for sockets (http/https agents): resolves through resolveEgress and answers only with
 * the checked address. Node skips `lookup` for IP literals, so callers check those first (judgeHost).
 */
export function egressLookup(port: number): LookupFunction {
  return (hostname, options, callback) => {
    resolveEgress(hostname, port).then(
      ({ address, family }) => {
        if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
        else callback(null, address, family);
      },
      (err: NodeJS.ErrnoException) => callback(err, "", 0),
    );
  };
}

function isAllowedAnswer(address: string, port: number, host: string): boolean {
  const bytes = parseIp(address);
  return !!bytes && addressAllowed(bytes, port, host);
}

/** For checks at save: true when the policy refuses the host (a DNS failure is not a refusal; the run checks again). */
export async function egressRefuses(host: string, port: number): Promise<boolean> {
  try {
    await resolveEgress(host, port);
    return false;
  } catch (err) {
    return err instanceof EgressRefusedError;
  }
}
