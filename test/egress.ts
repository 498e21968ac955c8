import net from "node:net";

// Test helpers for the egress policy (lib/egress): allow-list entries for the tests' own servers,
// and a TCP listener that records every connection, to prove that a refused host got no packet.

/** `host:port` of a URL, as DOPPEL_EGRESS_ALLOW reads it (`[::1]:5432` for IPv6). */
export function egressEntryOf(url: string): string {
  const u = new URL(url);
  const port = u.port || (u.protocol.startsWith("postgres") ? "5432" : u.protocol === "https:" ? "443" : "80");
  return `${u.hostname}:${port}`;
}

/** Adds entries to DOPPEL_EGRESS_ALLOW in this process (and in workers it spawns afterwards). */
export function allowEgressTo(...entries: string[]): void {
  process.env.DOPPEL_EGRESS_ALLOW = [process.env.DOPPEL_EGRESS_ALLOW, ...entries].filter(Boolean).join(",");
}

export type RecordingListener = { port: number; ipv6: boolean; connections: () => number; close(): Promise<void> };

/** Listens on 127.0.0.1 (and ::1 on the same port when the machine has IPv6 loopback) and counts connections. */
export async function recordingListener(): Promise<RecordingListener> {
  let count = 0;
  const onConnection = (socket: net.Socket) => {
    count++;
    socket.destroy();
  };
  const v4 = net.createServer(onConnection);
  await new Promise<void>((resolve, reject) => v4.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = v4.address() as net.AddressInfo;
  const v6 = net.createServer(onConnection);
  const ipv6 = await new Promise<boolean>((resolve) => {
    v6.once("error", () => resolve(false));
    v6.listen(port, "::1", () => resolve(true));
  });
  const close = (s: net.Server) => new Promise<void>((r) => (s.listening ? s.close(() => r()) : r()));
  return { port, ipv6, connections: () => count, close: async () => { await close(v4); await close(v6); } };
}

/** Every spelling of the machine's own loopback the policy must refuse (they all reach a listener on 127.0.0.1 or ::1). */
export const LOOPBACK_SPELLINGS = [
  "127.0.0.1", "127.1", "127.0.1", "2130706433", "0x7f000001", "0x7f.1", "0177.0.0.1", "017700000001", "127.0.0.1.",
  "localhost", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "::ffff:7f00:1", "[::ffff:127.0.0.1]", "0.0.0.0", "0", "::",
];

/** Other internal addresses: refused by their spelling (no listener can stand there on this machine). */
export const OTHER_INTERNAL_SPELLINGS = [
  "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "169.254.169.254", "fe80::1", "fe80::1%eth0", "fd00::1", "ff02::1", "224.0.0.1",
  "255.255.255.255", "::127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::", "/var/run/postgresql", "/tmp", "host=/tmp", "db.example.com/x",
];
