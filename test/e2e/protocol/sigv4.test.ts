/**
 * SigV4 on IAM-authorized operations, with access keys configured: the official SDK's signature is
 * accepted; a wrong secret, an unknown key, a tampered body, a stale date and malformed headers are
 * each refused with the error AWS gives. Public operations need no signature at all.
 */
import { createHash } from "node:crypto";
import {
  CognitoIdentityProviderClient,
  ListUserPoolsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkClient, startTestServer, TEST_CREDENTIALS, type TestServer } from "../../support/server.js";

const TARGET_PREFIX = "AWSCognitoIdentityProviderService";
/** Valid JSON that fails validation: reaching the validator proves the signature was accepted. */
const OUT_OF_RANGE = { MaxResults: 0 };
const OUT_OF_RANGE_MESSAGE =
  "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1";
const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ iam: { credentials: [TEST_CREDENTIALS] } });
});
afterAll(async () => server.stop());

interface SignOptions {
  body?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  region?: string;
  service?: string;
  signingDate?: Date;
  /** Adds x-amz-content-sha256, as the JS SDK v3 does. */
  contentSha256?: boolean;
  operation?: string;
  target?: TestServer;
}

/** Signs a request the way the SDKs do and returns its headers, ready for fetch. */
async function signedHeaders(options: SignOptions = {}): Promise<Record<string, string>> {
  const url = new URL((options.target ?? server).url);
  const body = options.body ?? JSON.stringify(OUT_OF_RANGE);
  const headers: Record<string, string> = {
    host: url.host,
    "content-type": "application/x-amz-json-1.1",
    "x-amz-target": `${TARGET_PREFIX}.${options.operation ?? "ListUserPools"}`,
  };
  if (options.contentSha256) {
    headers["x-amz-content-sha256"] = createHash("sha256").update(body).digest("hex");
  }
  const signer = new SignatureV4({
    service: options.service ?? "cognito-idp",
    region: options.region ?? "us-east-1",
    credentials: options.credentials ?? TEST_CREDENTIALS,
    sha256: Hash.bind(null, "sha256"),
  });
  const signed = await signer.sign(
    new HttpRequest({ method: "POST", protocol: "http:", hostname: url.hostname, path: "/", headers, body }),
    { signingDate: options.signingDate },
  );
  return signed.headers as Record<string, string>;
}

async function post(headers: Record<string, string>, body: string, target = server) {
  const { host: _host, ...rest } = headers;
  const res = await fetch(`${target.url}/`, { method: "POST", headers: rest, body });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, string> };
}

async function sdkError(client: CognitoIdentityProviderClient): Promise<Error> {
  try {
    await client.send(new ListUserPoolsCommand(OUT_OF_RANGE));
  } catch (error) {
    return error as Error;
  } finally {
    client.destroy();
  }
  throw new Error("the call succeeded");
}

describe("SigV4 with configured access keys", () => {
  it("accepts the official SDK's signature", async () => {
    const error = await sdkError(sdkClient(server.url));
    expect(error.name).toBe("InvalidParameterException");
    expect(error.message).toBe(OUT_OF_RANGE_MESSAGE);
  });

  it("accepts a signature over the body hash header, and one in another region", async () => {
    const body = JSON.stringify(OUT_OF_RANGE);
    const res = await post(await signedHeaders({ body, contentSha256: true, region: "eu-west-3" }), body);
    expect(res.body).toEqual({ __type: "InvalidParameterException", message: OUT_OF_RANGE_MESSAGE });
  });

  it("refuses a signature made with the wrong secret", async () => {
    const error = await sdkError(
      sdkClient(server.url, "us-east-1", {
        accessKeyId: TEST_CREDENTIALS.accessKeyId,
        secretAccessKey: "nope",
      }),
    );
    expect(error.name).toBe("InvalidSignatureException");
    expect(
      error.message.startsWith(
        `${SIGNATURE_MISMATCH}\n\nThe Canonical String for this request should have been\n'POST\n/\n`,
      ),
    ).toBe(true);
    expect(error.message).toContain("\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n");
  });

  it("refuses an unknown access key", async () => {
    const error = await sdkError(
      sdkClient(server.url, "us-east-1", { accessKeyId: "AKIDUNKNOWN", secretAccessKey: "x" }),
    );
    expect(error.name).toBe("UnrecognizedClientException");
    expect(error.message).toBe("The security token included in the request is invalid.");
  });

  it("refuses a tampered body, whether or not the body hash header was signed", async () => {
    const body = JSON.stringify(OUT_OF_RANGE);
    const tampered = JSON.stringify({ MaxResults: 60 });
    for (const contentSha256 of [true, false]) {
      const res = await post(await signedHeaders({ body, contentSha256 }), tampered);
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("InvalidSignatureException");
      expect(res.body.message.startsWith(SIGNATURE_MISMATCH)).toBe(true);
      expect(res.headers.get("x-amzn-errortype")).toBe("InvalidSignatureException:");
    }
  });

  it("refuses a tampered body hash header that matches the tampered body", async () => {
    const body = JSON.stringify(OUT_OF_RANGE);
    const tampered = JSON.stringify({ MaxResults: 60 });
    const headers = await signedHeaders({ body, contentSha256: true });
    headers["x-amz-content-sha256"] = createHash("sha256").update(tampered).digest("hex");
    const res = await post(headers, tampered);
    expect(res.body.__type).toBe("InvalidSignatureException");
  });

  it("answers an unsigned IAM call with MissingAuthenticationTokenException", async () => {
    const res = await server.call("ListUserPools", OUT_OF_RANGE);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      __type: "MissingAuthenticationTokenException",
      message: "Missing Authentication Token",
    });
    expect(res.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException:");
    expect(res.headers.get("x-amzn-errormessage")).toBe("Missing Authentication Token");
  });

  it("refuses a signature dated more than 15 minutes away, either way", async () => {
    const body = JSON.stringify(OUT_OF_RANGE);
    const past = await post(await signedHeaders({ signingDate: new Date(Date.now() - 20 * 60_000) }), body);
    expect(past.body.__type).toBe("InvalidSignatureException");
    expect(past.body.message).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
    const future = await post(await signedHeaders({ signingDate: new Date(Date.now() + 20 * 60_000) }), body);
    expect(future.body.__type).toBe("InvalidSignatureException");
    expect(future.body.message).toMatch(
      /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/,
    );
  });

  it("accepts a signature dated a few minutes off (clock skew)", async () => {
    const body = JSON.stringify(OUT_OF_RANGE);
    const res = await post(await signedHeaders({ signingDate: new Date(Date.now() - 5 * 60_000) }), body);
    expect(res.body.__type).toBe("InvalidParameterException");
  });

  it("refuses a credential scoped to another service", async () => {
    const body = JSON.stringify(OUT_OF_RANGE);
    const res = await post(await signedHeaders({ service: "dynamodb" }), body);
    expect(res.body).toEqual({
      __type: "InvalidSignatureException",
      message: "Credential should be scoped to correct service: 'cognito-idp'. ",
    });
  });

  it("refuses a credential scope dated another day than the request", async () => {
    const headers = await signedHeaders();
    const authorization = headers.authorization.replace(
      /Credential=AKIDTEST\/\d{8}\//,
      "Credential=AKIDTEST/20000101/",
    );
    const res = await post({ ...headers, authorization }, JSON.stringify(OUT_OF_RANGE));
    expect(res.body).toEqual({
      __type: "InvalidSignatureException",
      message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20000101' != '${headers["x-amz-date"].slice(0, 8)}', from '${headers["x-amz-date"]}'.`,
    });
  });

  it("refuses a session token: configured keys are long-term keys", async () => {
    const error = await sdkError(
      new CognitoIdentityProviderClient({
        endpoint: server.url,
        region: "us-east-1",
        credentials: { ...TEST_CREDENTIALS, sessionToken: "a-session-token" },
        maxAttempts: 1,
      }),
    );
    expect(error.name).toBe("UnrecognizedClientException");
    expect(error.message).toBe("The security token included in the request is invalid");
  });

  it("names every missing part of an incomplete Authorization header", async () => {
    const headers = await signedHeaders();
    const authorization = "AWS4-HMAC-SHA256 Credential=AKIDTEST/20240101/us-east-1/cognito-idp/aws4_request";
    const res = await post({ ...headers, authorization }, JSON.stringify(OUT_OF_RANGE));
    expect(res.body).toEqual({
      __type: "IncompleteSignatureException",
      message:
        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
        `Authorization=${authorization}`,
    });
  });

  it("refuses a date that is not in ISO-8601 basic format", async () => {
    const headers = await signedHeaders();
    const res = await post(
      { ...headers, "x-amz-date": "2024-01-01T00:00:00Z" },
      JSON.stringify(OUT_OF_RANGE),
    );
    expect(res.body).toEqual({
      __type: "IncompleteSignatureException",
      message:
        "Date must be in ISO-8601 'basic format'. Got '2024-01-01T00:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
    });
  });

  it("answers a non-SigV4 Authorization header as a missing token", async () => {
    const res = await post(
      {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `${TARGET_PREFIX}.ListUserPools`,
        authorization: "Bearer abc",
      },
      JSON.stringify(OUT_OF_RANGE),
    );
    expect(res.body.__type).toBe("MissingAuthenticationTokenException");
  });

  it("needs no signature on public operations", async () => {
    const res = await server.call("InitiateAuth", { AuthFlow: "NOPE", ClientId: "abc" });
    expect(res.body).toEqual({
      __type: "InvalidParameterException",
      message:
        "1 validation error detected: Value 'NOPE' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]",
    });
  });
});

describe("without configured access keys (loopback only)", () => {
  let open: TestServer;
  beforeAll(async () => {
    open = await startTestServer();
  });
  afterAll(async () => open.stop());

  it("accepts any access key and secret", async () => {
    const error = await sdkError(
      sdkClient(open.url, "us-east-1", { accessKeyId: "anything", secretAccessKey: "x" }),
    );
    expect(error.name).toBe("InvalidParameterException");
    expect(error.message).toBe(OUT_OF_RANGE_MESSAGE);
  });

  it("accepts an unsigned admin call", async () => {
    const res = await open.call("ListUserPools", OUT_OF_RANGE);
    expect(res.body).toEqual({ __type: "InvalidParameterException", message: OUT_OF_RANGE_MESSAGE });
  });

  it("still refuses a scope whose region could not name a pool", async () => {
    const body = JSON.stringify(OUT_OF_RANGE);
    const res = await post(await signedHeaders({ region: "us_east_1", target: open }), body, open);
    expect(res.body).toEqual({
      __type: "InvalidSignatureException",
      message: "Credential should be scoped to a valid region, not 'us_east_1'. ",
    });
  });
});
