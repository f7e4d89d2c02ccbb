/**
 * Runs one API operation from inside the server, as a request would: the input checked against the
 * model (the same InvalidParameterException), then the operation's own handler with its rules.
 * What the seed, the export and the reset do goes through here, so they can never do what the
 * API would refuse.
 */
import { randomUUID } from "node:crypto";
import { handlers } from "../operations/index.js";
import type { Input, Output, RequestContext } from "../operations/types.js";
import { OPERATIONS, type OperationName } from "../protocol/model.generated.js";
import { validateInput } from "../protocol/validate.js";
import type { Services } from "../services.js";

const REGION_PREFIX = /^([a-z]{2}(?:-[a-z]+)+-\d+)_/;

/** The region a pool id names (`us-east-1_…`), else the server's default. */
export function regionOf(services: Services, poolId: string | undefined): string {
  return (poolId && REGION_PREFIX.exec(poolId)?.[1]) || services.config.server.region;
}

export async function callOperation<Op extends OperationName>(
  services: Services,
  operation: Op,
  input: Input<Op> | Record<string, unknown>,
  options: { chosenId?: string } = {},
): Promise<Output<Op>> {
  const validated = validateInput(OPERATIONS[operation].input, input) as Input<Op>;
  const poolId = (input as { UserPoolId?: string }).UserPoolId ?? options.chosenId;
  const ctx: RequestContext = {
    requestId: randomUUID(),
    now: services.clock(),
    region: regionOf(services, poolId),
    sourceIp: "127.0.0.1",
    headers: {},
    services,
    chosenId: options.chosenId,
  };
  const handler = handlers[operation] as (input: Input<Op>, ctx: RequestContext) => Promise<Output<Op>>;
  return handler(validated, ctx);
}
