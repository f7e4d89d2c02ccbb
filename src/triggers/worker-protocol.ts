/** The messages between the server and a trigger worker thread. */

export interface InvocationRequest {
  id: number;
  event: unknown;
  context: {
    functionName: string;
    invokedFunctionArn: string;
    awsRequestId: string;
    /** Epoch milliseconds after which the server stops waiting. */
    deadline: number;
  };
}

export type WorkerReply =
  | { id: number; kind: "returned"; payload: string }
  | {
      id: number;
      kind: "failed";
      errorType: string;
      errorMessage: string;
      /** The module could not be loaded: the worker is spent, a new one loads it afresh. */
      fatal?: boolean;
    };
