/** What one invocation of a function can come to, whichever way the function is run. */

export type InvocationOutcome =
  /** The function answered; `payload` is its JSON text, unchecked. */
  | { kind: "returned"; payload: string }
  /** The function ran and failed: it threw, called back with an error, or its runtime died. */
  | { kind: "failed"; errorType: string; errorMessage: string }
  /** The function could not be run, or did not answer in time; `reason` as Cognito words it. */
  | { kind: "unavailable"; reason: string };

/** Who is being invoked, as the function's Lambda context shows it. */
export interface InvocationTarget {
  functionName: string;
  invokedFunctionArn: string;
  awsRequestId: string;
}

/** Cognito's words when its deadline passes [OBS sst #1815]. */
export const TIMEOUT_REASON = "Socket timeout while invoking Lambda function";
/** A function that is neither configured nor served by a default endpoint. */
export const NOT_FOUND_REASON = "ResourceNotFoundException";
/** The server is stopping. */
export const STOPPING_REASON = "ServiceException";
