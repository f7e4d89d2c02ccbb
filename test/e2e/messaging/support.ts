/** A local SMTP server and an SMS webhook, started by the tests, that keep what they receive. */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string | undefined;
  to: string[];
  /** The user the client signed in as, when it did. */
  authUser: string | undefined;
  headers: Record<string, string>;
  body: string;
}

/** Header names lower-cased, folded lines joined; the body as sent (short ASCII text stays 7bit). */
function parseMail(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: raw.slice(split + 4).replace(/\r\n$/, "") };
}

/** Quoted-printable back to text: soft line breaks joined, `=XX` bytes decoded as UTF-8. */
function fromQuotedPrintable(text: string): string {
  const escaped = text.replace(/=\r\n/g, "").replaceAll("%", "%25");
  return decodeURIComponent(escaped.replace(/=([0-9A-F]{2})/g, "%$1"));
}

/** The parts of a multipart mail by content type (`text/plain`, `text/html`), decoded, with LF line ends. */
export function mailParts(mail: ReceivedMail): Record<string, string> {
  const boundary = mail.headers["content-type"]?.match(/boundary="?([^";]+)"?/)?.[1];
  if (!boundary) throw new Error(`not a multipart mail: ${mail.headers["content-type"]}`);
  const parts: Record<string, string> = {};
  for (const section of mail.body.split(`--${boundary}`).slice(1, -1)) {
    const { headers, body } = parseMail(section.replace(/^\r\n/, ""));
    const type = (headers["content-type"] ?? "text/plain").split(";")[0];
    const quoted = headers["content-transfer-encoding"] === "quoted-printable";
    // SMTP ends lines with CRLF; the text had LF.
    parts[type] = (quoted ? fromQuotedPrintable(body) : body).replace(/\r\n$/, "").replaceAll("\r\n", "\n");
  }
  return parts;
}

export interface TestSmtpServer {
  port: number;
  mails: ReceivedMail[];
  /** Makes the server refuse every message with this SMTP reply code from now on. */
  refuseWith(code: number | undefined): void;
  close(): Promise<void>;
}

/** Plain SMTP on 127.0.0.1 (no STARTTLS); with `credentials`, AUTH PLAIN/LOGIN with exactly those. */
export async function startSmtpServer(credentials?: { user: string; pass: string }): Promise<TestSmtpServer> {
  const mails: ReceivedMail[] = [];
  let refusal: number | undefined;
  const server = new SMTPServer({
    disabledCommands: credentials ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    allowInsecureAuth: true,
    authOptional: !credentials,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials?.user && auth.password === credentials?.pass) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error("Invalid username or password"));
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (refusal !== undefined) {
          const error = Object.assign(new Error("Message refused"), { responseCode: refusal });
          callback(error);
          return;
        }
        const from = session.envelope.mailFrom;
        mails.push({
          from: from ? from.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          authUser: session.user as string | undefined,
          ...parseMail(Buffer.concat(chunks).toString("utf8")),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    mails,
    refuseWith(code) {
      refusal = code;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedRequest {
  method: string;
  headers: IncomingMessage["headers"];
  body: unknown;
}

export interface TestWebhook {
  url: string;
  requests: ReceivedRequest[];
  /** The HTTP status the webhook answers with from now on (200 by default). */
  answerWith(status: number): void;
  close(): Promise<void>;
}

export async function startWebhook(): Promise<TestWebhook> {
  const requests: ReceivedRequest[] = [];
  let status = 200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      requests.push({
        method: req.method ?? "",
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
      });
      res.writeHead(status, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sms`,
    requests,
    answerWith(next) {
      status = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
