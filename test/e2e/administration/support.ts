/** Helpers for the user import tests: jobs made through the SDK, the file PUT to their URL, the log. */
import { request } from "node:http";
import {
  CreateUserImportJobCommand,
  DescribeUserImportJobCommand,
  StartUserImportJobCommand,
  type UserImportJobType,
} from "@aws-sdk/client-cognito-identity-provider";
import type { TestServer } from "../../support/server.js";

export const ROLE_ARN = "arn:aws:iam::123456789012:role/CognitoImport";

export async function createJob(
  server: TestServer,
  poolId: string,
  name = "import",
): Promise<UserImportJobType> {
  const out = await server.client.send(
    new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: name, CloudWatchLogsRoleArn: ROLE_ARN }),
  );
  return out.UserImportJob as UserImportJobType;
}

export interface UploadAnswer {
  status: number;
  etag: string | null;
  body: string;
}

/**
 * PUT of a CSV file to a pre-signed URL, as `curl -T file -H "x-amz-server-side-encryption:aws:kms"`
 * sends it: no Content-Type. `headers` replaces the encryption header.
 */
export function upload(
  url: string,
  csv: string | Buffer,
  headers?: Record<string, string>,
): Promise<UploadAnswer> {
  const target = new URL(url);
  const body = Buffer.from(csv);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: "PUT",
        path: `${target.pathname}${target.search}`,
        headers: {
          ...(headers ?? { "x-amz-server-side-encryption": "aws:kms" }),
          "content-length": body.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            etag: (res.headers.etag as string | undefined) ?? null,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The S3 error code and message of an XML error body. */
export function s3Error(body: string): { code?: string; message?: string } {
  return {
    code: /<Code>([^<]*)<\/Code>/.exec(body)?.[1],
    message: /<Message>([^<]*)<\/Message>/.exec(body)?.[1],
  };
}

/** The job's log, one line per entry. */
export async function jobLog(server: TestServer, poolId: string, jobId: string): Promise<string[]> {
  const res = await fetch(`${server.url}/_cognate/user-import-log/${poolId}/${jobId}`);
  return (await res.text()).split("\n").filter(Boolean);
}

export async function describeJob(
  server: TestServer,
  poolId: string,
  jobId: string,
): Promise<UserImportJobType> {
  const out = await server.client.send(
    new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: jobId }),
  );
  return out.UserImportJob as UserImportJobType;
}

/** Creates a job, uploads `csv`, starts it; on a synchronous server the job has ended on return. */
export async function runImport(server: TestServer, poolId: string, csv: string) {
  const job = await createJob(server, poolId);
  const put = await upload(job.PreSignedUrl as string, csv);
  if (put.status !== 200) throw new Error(`upload refused: ${put.body}`);
  const started = await server.client.send(
    new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }),
  );
  return { jobId: job.JobId as string, started: started.UserImportJob as UserImportJobType };
}
