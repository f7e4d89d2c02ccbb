/**
 * The pre-signed URL of a user import job (ADMINISTRATION.md §1.4): `PUT` of the CSV file, checked
 * as S3 checks Cognito's URL, with S3's XML errors; the body is streamed into the store a chunk at
 * a time. Also the job's log, one line per refused row: `GET /_cognate/user-import-log/<pool>/<job>`.
 */
import { createHash, randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { FastifyInstance, FastifyReply } from "fastify";
import { checkUploadUrl, settleExpiry, UPLOAD_PATH_PREFIX, uploadPath } from "../domain/user-import-jobs.js";
import type { Services } from "../services.js";

/** The file is kept in chunks of this size: the most of it held in memory at once. */
const CHUNK_BYTES = 256 * 1024;
/** Log lines a request returns at most. */
const LOG_PAGE = 10_000;

const S3_ERRORS = {
  signature: {
    status: 403,
    code: "SignatureDoesNotMatch",
    message:
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
  },
  expired: { status: 403, code: "AccessDenied", message: "Request has expired" },
  tooLarge: {
    status: 400,
    code: "EntityTooLarge",
    message: "Your proposed upload exceeds the maximum allowed size",
  },
  denied: { status: 403, code: "AccessDenied", message: "Access Denied" },
} as const;

type S3Error = (typeof S3_ERRORS)[keyof typeof S3_ERRORS];

function sendS3Error(reply: FastifyReply, error: S3Error): FastifyReply {
  const requestId = randomUUID();
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${error.message}</Message><RequestId>${requestId}</RequestId></Error>`;
  return reply.code(error.status).type("application/xml").send(body);
}

class TooLarge extends Error {}

/**
 * Streams the body into the store as chunks of a new upload; its size and MD5 when whole. One
 * buffer is filled and written again and again: the body is never held, nor left to the GC in copies.
 */
async function storeBody(
  services: Services,
  jobId: string,
  uploadId: string,
  body: IncomingMessage,
): Promise<{ bytes: number; md5: string }> {
  const { store, config } = services;
  const md5 = createHash("md5");
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let filled = 0;
  let total = 0;
  let seq = 0;
  for await (const piece of body as AsyncIterable<Buffer>) {
    total += piece.length;
    if (total > config.import.maxFileBytes) throw new TooLarge();
    md5.update(piece);
    for (let offset = 0; offset < piece.length; ) {
      const copied = piece.copy(chunk, filled, offset);
      filled += copied;
      offset += copied;
      if (filled === CHUNK_BYTES) {
        await store.userImports.putChunk(jobId, uploadId, seq++, chunk);
        filled = 0;
      }
    }
  }
  if (filled > 0) await store.userImports.putChunk(jobId, uploadId, seq, chunk.subarray(0, filled));
  return { bytes: total, md5: md5.digest("hex") };
}

/** Makes the upload the job's file, if the job still waits for one; else drops it. */
async function attachUpload(
  services: Services,
  jobId: string,
  uploadId: string,
  bytes: number,
): Promise<boolean> {
  const { store, clock, config } = services;
  return store.transaction(async (tx) => {
    const found = await tx.userImports.getForUpdate(jobId);
    const job = found && (await settleExpiry(tx, found, clock(), config.import.expireAfterSeconds));
    if (job?.status !== "Created") {
      await tx.userImports.deleteUpload(jobId, uploadId);
      return false;
    }
    await tx.userImports.update({ ...job, fileUpload: uploadId, fileBytes: bytes });
    // A new upload replaces the last one.
    await tx.userImports.deleteUploads(jobId, uploadId);
    return true;
  });
}

interface UploadParams {
  account: string;
  poolId: string;
  jobId: string;
}

export function registerUserImport(app: FastifyInstance, services: Services): void {
  app.register(async (scope) => {
    // The body is read as a stream by the route, not buffered whole.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, _payload, done) => done(null));

    scope.put<{ Params: UploadParams; Querystring: Record<string, string | undefined> }>(
      `${UPLOAD_PATH_PREFIX}/:account/:poolId/:jobId`,
      async (req, reply) => {
        const { store, clock, config } = services;
        const { poolId, jobId } = req.params;
        const path = uploadPath(poolId, jobId);
        if (req.url.split("?")[0] !== path) return sendS3Error(reply, S3_ERRORS.signature);
        const refusal = await checkUploadUrl(
          store,
          path,
          { date: req.query["X-Amz-Date"], signature: req.query["X-Amz-Signature"] },
          clock(),
        );
        const job = await store.userImports.get(jobId);
        if (refusal === "signature" || !job || job.poolId !== poolId)
          return sendS3Error(reply, S3_ERRORS.signature);
        if (refusal === "expired") return sendS3Error(reply, S3_ERRORS.expired);
        if (config.import.requireSseHeader && req.headers["x-amz-server-side-encryption"] !== "aws:kms") {
          return sendS3Error(reply, S3_ERRORS.signature);
        }
        if (Number(req.headers["content-length"] ?? 0) > config.import.maxFileBytes) {
          return sendS3Error(reply, S3_ERRORS.tooLarge);
        }
        const settled = await settleExpiry(store, job, clock(), config.import.expireAfterSeconds);
        if (settled.status !== "Created") return sendS3Error(reply, S3_ERRORS.denied);

        const uploadId = randomUUID();
        let stored: { bytes: number; md5: string };
        try {
          stored = await storeBody(services, jobId, uploadId, req.raw);
        } catch (error) {
          await store.userImports.deleteUpload(jobId, uploadId);
          if (error instanceof TooLarge) return sendS3Error(reply, S3_ERRORS.tooLarge);
          throw error;
        }
        if (!(await attachUpload(services, jobId, uploadId, stored.bytes))) {
          return sendS3Error(reply, S3_ERRORS.denied);
        }
        return reply.code(200).header("etag", `"${stored.md5}"`).send();
      },
    );
  });

  app.get<{ Params: { poolId: string; jobId: string }; Querystring: { after?: string } }>(
    "/_cognate/user-import-log/:poolId/:jobId",
    async (req, reply) => {
      const job = await services.store.userImports.get(req.params.jobId);
      if (!job || job.poolId !== req.params.poolId) return reply.code(404).type("text/plain").send("");
      const lines = await services.store.userImports.log(job.jobId, LOG_PAGE, Number(req.query.after) || 0);
      return reply.type("text/plain; charset=utf-8").send(lines.map((l) => `${l.line}\n`).join(""));
    },
  );
}
