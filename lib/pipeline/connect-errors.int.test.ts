import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowEgressTo } from "../../test/egress";
import { freePort } from "../../test/pg-server";
import type { TPgConnection } from "../schemas/connection";
import type { EngineError } from "./errors";
import { testPostgresConnection } from "./test-connection";

// "Test connection" is not a port scanner: whatever listens on a port that is not a PostgreSQL
// server (nothing, a server that never answers, an HTTP server, another protocol), the test
// reads the same "cannot be reached", with the same code and hint, in either TLS mode.

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];
async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  server.on("connection", (s) => sockets.push(s.on("error", () => {})));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as net.AddressInfo).port;
}
let ports: Record<string, number>;

beforeAll(async () => {
  const silent = net.createServer(() => {});
  ports = {
    closed: await freePort(),
    silent: await listen(silent),
    http: await listen(http.createServer((_req, res) => res.writeHead(404).end("not found"))),
    ssh: await listen(net.createServer((s) => s.end("SSH-2.0-OpenSSH_9.2p1\r\n"))),
  };
  allowEgressTo(...Object.values(ports).map((p) => `127.0.0.1:${p}`));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

const conn = (port: number, tlsMode: TPgConnection["tlsMode"]): TPgConnection => ({ host: "127.0.0.1", port, database: "d", user: "u", password: "p", tlsMode });

describe("connection test errors", () => {
  it("a closed port, a silent listener, an HTTP server and another protocol all read the same", async () => {
    const seen = new Map<string, string[]>();
    for (const tlsMode of ["disable", "require"] as const) {
      for (const [what, port] of Object.entries(ports)) {
        const err = await testPostgresConnection(conn(port, tlsMode), { side: "source", timeoutMs: 1500 }).then(() => null, (e: EngineError) => e);
        const text = JSON.stringify([err?.code, err?.message, err?.hint]);
        seen.set(text, [...(seen.get(text) ?? []), `${what}/${tlsMode}`]);
      }
    }
    expect([...seen.values()]).toHaveLength(1);
    expect(JSON.parse([...seen.keys()][0]!)).toEqual([
      "SOURCE_UNREACHABLE",
      "The source database server cannot be reached (connecting).",
      "Check the host name and port, and that the server accepts connections from this machine (firewall, listen_addresses).",
    ]);
  });
});
