/** `cognate serve`: start, say where and how to reach the server, stop cleanly on SIGINT/SIGTERM. */
import { type Config, workerCount } from "../config/config.js";
import { generatedCertificatePath } from "../http/tls.js";
import { type RunningServer, startServer } from "../server.js";
import { describeStore } from "../store/open.js";
import { serveWithWorkers } from "./workers.js";

function httpsMessage(config: Config, server: RunningServer): string {
  if (!server.httpsUrl) return "";
  const certificate =
    config.tls.certFile ?? `a self-signed certificate (trust ${generatedCertificatePath(config)})`;
  return `HTTPS on ${server.httpsUrl} with ${certificate}\n`;
}

function startupMessage(config: Config, url: string, workers = 1): string {
  const { region } = config.server;
  const signing =
    config.iam.credentials.length > 0
      ? `admin calls must be signed with the configured access keys (${config.iam.credentials.length})`
      : "with no access keys configured, admin calls signed with any key (or none) are accepted on loopback";
  return (
    `Cognate is listening on ${url} (region ${region}, ${describeStore(config)}` +
    `${workers > 1 ? `, ${workers} worker processes` : ""})\n` +
    "Try it:\n" +
    `  aws cognito-idp create-user-pool --pool-name demo --endpoint-url ${url} --region ${region}\n` +
    `(${signing})\n`
  );
}

/**
 * The first signal closes the server (in-flight requests finish, the store closes) and exits 0;
 * a second one while that runs exits 1 at once.
 */
function stopOnSignals(server: RunningServer): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`${signal}: stopping now, without waiting\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`${signal}: shutting down\n`);
    try {
      await server.close();
    } catch (error) {
      process.stderr.write(`cognate: shutdown failed: ${(error as Error).message}\n`);
      process.exit(1);
    }
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

export async function serve(config: Config): Promise<void> {
  if (workerCount(config) > 1) {
    const announce = (url: string, workers: number) =>
      process.stdout.write(startupMessage(config, url, workers));
    return serveWithWorkers(config, announce, stopOnSignals);
  }
  const server = await startServer(config);
  stopOnSignals(server);
  process.stdout.write(startupMessage(config, server.url) + httpsMessage(config, server));
}
