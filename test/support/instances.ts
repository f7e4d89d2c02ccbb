/** Two servers on one fresh PostgreSQL schema: two instances of one deployment, for the cluster tests. */
import { createTestSchema, dropTestSchema, schemaDatabaseUrl } from "./postgres.js";
import { startTestServer, type TestServer } from "./server.js";

export interface TwoInstances {
  a: TestServer;
  b: TestServer;
  /** Stops both servers and drops their schema. */
  stop(): Promise<void>;
}

export async function startTwoInstances(
  store: { poolSize?: number } = { poolSize: 4 },
): Promise<TwoInstances> {
  const schema = await createTestSchema();
  const shared = { store: { databaseUrl: schemaDatabaseUrl(schema), ...store } };
  const [a, b] = await Promise.all([startTestServer(shared), startTestServer(shared)]);
  return {
    a,
    b,
    async stop() {
      await Promise.all([a.stop(), b.stop()]);
      await dropTestSchema(schema);
    },
  };
}
