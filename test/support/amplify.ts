/**
 * Amplify JS v6 against a test server. Amplify keeps one configuration and one signed-in user per
 * process, so a test file configures it for each pool it signs in to.
 */
import { Amplify } from "aws-amplify";
import { ConsoleLogger } from "aws-amplify/utils";
import type { TestServer } from "./server.js";

/** Amplify warns on every call that the user-pool endpoint is a custom one. */
export function quietAmplify(): void {
  ConsoleLogger.LOG_LEVEL = "ERROR";
}

/** Points Amplify at the server's pool and app client. */
export function configureAmplify(
  server: TestServer,
  pool: { poolId: string; client: { clientId: string } },
): void {
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: pool.poolId,
        userPoolClientId: pool.client.clientId,
        userPoolEndpoint: server.url,
      },
    },
  });
}
