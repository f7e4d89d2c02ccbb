/** The page at `/` for browsers: what this server is, its API endpoint and region, and where to go next. */
import { html } from "../pages/html.js";
import type { Services } from "../services.js";
import { renderBarePage } from "./views/layout.js";

const API_REFERENCE =
  "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/Welcome.html";

/** `endpoint`: the server as the browser reached it (its Host), so the snippets work when pasted. */
export function homePage(services: Services, endpoint: string): string {
  const { region } = services.config.server;
  const store = services.config.store.databaseUrl === null ? "SQLite" : "PostgreSQL";
  const consoleOpen = services.config.console.enabled;
  return renderBarePage(
    "Cognate",
    html`<h1>Cognate</h1><p class="lede">Amazon Cognito user pools' API, served from this machine: the official SDKs, the aws CLI and Amplify work against it unchanged.</p>
<dl class="props" style="margin-bottom:18px"><dt>API endpoint</dt><dd><code>${endpoint}</code></dd><dt>Region</dt><dd><code>${region}</code></dd><dt>Data</dt><dd>${store}</dd></dl>
<div class="actions" style="margin-bottom:20px">${consoleOpen ? html`<a class="button primary" href="/console">Open the console</a>` : ""}<a class="button" href="/metrics">Metrics</a><a class="button" href="/health">Health</a><a class="button" href="${API_REFERENCE}">Cognito API reference</a></div>
<h2>Try it</h2>
<pre>aws cognito-idp create-user-pool --pool-name demo \\
  --endpoint-url ${endpoint} --region ${region}</pre>
<pre style="margin-top:10px">new CognitoIdentityProviderClient({ endpoint: "${endpoint}", region: "${region}" })</pre>
<p class="muted" style="margin:16px 0 0">Documentation comes with the server: <code>README.md</code>, and <code>docs/CONSOLE.md</code> for the console and the metrics.</p>`,
  );
}
