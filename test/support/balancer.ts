/**
 * A round-robin load balancer in front of several test servers: request n goes to instance
 * n mod count, as behind a balancer without sticky sessions. It records which instance served
 * which operation, so a test can show that one journey was split across instances.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface Balancer {
  url: string;
  /** `[operation, instance index]` for every request forwarded, in order. */
  log: [string, number][];
  close(): Promise<void>;
}

/** Headers not to copy from one hop to the next. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "host", "content-length"]);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startBalancer(instanceUrls: string[]): Promise<Balancer> {
  const log: [string, number][] = [];
  let next = 0;
  const server = createServer(async (req, res) => {
    const instance = next++ % instanceUrls.length;
    const target = String(req.headers["x-amz-target"] ?? req.url ?? "");
    log.push([target.replace(/^AWSCognitoIdentityProviderService\./, ""), instance]);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(name) && typeof value === "string") headers[name] = value;
    }
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
    const answer = await fetch(`${instanceUrls[instance]}${req.url}`, { method: req.method, headers, body });
    const answerHeaders: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name) && name !== "content-encoding") answerHeaders[name] = value;
    });
    res.writeHead(answer.status, answerHeaders);
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
