/**
 * A property-based fuzz of every operation of the service model: inputs generated from the
 * model's own shapes (fast-check), most of them close to valid (right types, lengths, enums,
 * patterns, and the IDs and tokens of a real pool, client and user) and the rest broken in one
 * way or another (wrong types, out of range, missing or unknown members, any JSON at all). Every
 * answer must come in time, be a success or a Cognito error `{__type, message}`, and never a 5xx.
 * Shared by the CI test (test/e2e/reliability/fuzz.test.ts) and the longer run (scripts/fuzz.ts).
 */
import fc from "fast-check";
import { OPERATION_NAMES, OPERATIONS, SHAPES } from "../../src/protocol/model.generated.js";
import type { ShapeDescriptor } from "../../src/protocol/model-types.js";

/** Cases between fresh fixtures. */
const FIXTURES_EVERY = 40;

/** No answer within this time is a hang. */
export const HANG_MS = 20_000;

/** Real resources, so that well-formed inputs get past "not found" into the operations' logic. */
export interface FuzzFixtures {
  poolId: string;
  clientId: string;
  username: string;
  password: string;
  groupName: string;
  accessToken: string;
  refreshToken: string;
}

/** Members that take a fixture's value, and which. */
const FIXTURE_MEMBERS: Record<string, keyof FuzzFixtures> = {
  UserPoolId: "poolId",
  ClientId: "clientId",
  Username: "username",
  Password: "password",
  PreviousPassword: "password",
  ProposedPassword: "password",
  GroupName: "groupName",
  AccessToken: "accessToken",
  RefreshToken: "refreshToken",
  Token: "refreshToken",
};

/**
 * A generated input names a fixture by a placeholder, replaced when it is sent: the fixtures are
 * made anew now and then (the fuzz deletes pools, disables users, changes passwords).
 */
const PLACEHOLDER = "\u0000fixture:";

function withFixtures(value: unknown, fixtures: FuzzFixtures): unknown {
  if (typeof value === "string" && value.startsWith(PLACEHOLDER)) {
    return fixtures[value.slice(PLACEHOLDER.length) as keyof FuzzFixtures];
  }
  if (Array.isArray(value)) return value.map((v) => withFixtures(v, fixtures));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withFixtures(v, fixtures)]));
  }
  return value;
}

/** Longest valid-ish string generated: enough to exercise every rule, small enough to stay quick. */
const MAX_STRING = 64;
const MAX_ITEMS = 3;
/** Structures nest deeper than this only through broken values. */
const MAX_DEPTH = 5;

const patterns = new Map<string, fc.Arbitrary<string>>();

/** Strings matching the shape's pattern where fast-check can build them (no lookbehind). */
function patternString(pattern: NonNullable<ShapeDescriptor["pattern"]>): fc.Arbitrary<string> | undefined {
  if (!patterns.has(pattern.source)) {
    let arbitrary: fc.Arbitrary<string> | undefined;
    try {
      const re = new RegExp(pattern.source, pattern.flags);
      fc.sample(fc.stringMatching(re), 1);
      arbitrary = fc.stringMatching(re).filter((s) => s.length <= 4 * MAX_STRING);
    } catch {
      arbitrary = undefined;
    }
    patterns.set(pattern.source, arbitrary as fc.Arbitrary<string>);
  }
  return patterns.get(pattern.source);
}

function validString(shape: ShapeDescriptor): fc.Arbitrary<string> {
  if (shape.enum) return fc.constantFrom(...shape.enum);
  const min = shape.min ?? 0;
  const max = Math.max(min, Math.min(shape.max ?? MAX_STRING, MAX_STRING));
  const fromPattern = shape.pattern && patternString(shape.pattern);
  const plain = fc.string({ minLength: min, maxLength: max, unit: "grapheme" });
  return fromPattern ? fc.oneof(fromPattern, plain) : plain;
}

/** Strings that break the shape's rules: too long, too short, outside its enum, odd characters. */
function brokenString(shape: ShapeDescriptor): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.constantFrom(
      "",
      " ",
      "\u0000",
      "\ud800",
      "../../etc/passwd",
      "' or 1=1 --",
      "%00",
      "{{7*7}}",
      "<script>",
    ),
  ];
  if (shape.max !== undefined && shape.max < 100_000) {
    options.push(fc.constant("x".repeat(shape.max + 1)));
  }
  return fc.oneof(...options);
}

function number(shape: ShapeDescriptor): fc.Arbitrary<number> {
  const min = shape.min ?? -1_000_000;
  const max = shape.max ?? 1_000_000;
  return fc.integer({ min: Math.ceil(min), max: Math.floor(Math.max(min, max)) });
}

/** Any JSON value, or the odd numbers JSON can carry. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(1e308, -0, 2 ** 53 + 1, -(2 ** 63), 1.5, null),
);

/** Whether a case keeps to the model (valid-ish) or breaks it here and there. */
type Mode = "valid" | "broken";

function validValue(name: string, depth: number, mode: Mode): fc.Arbitrary<unknown> {
  const shape = SHAPES[name];
  if (shape.document) return anyJson;
  switch (shape.type) {
    case "string":
      return validString(shape);
    case "integer":
    case "long":
      return number(shape);
    case "boolean":
      return fc.boolean();
    case "timestamp":
      return fc.integer({ min: 0, max: 4_102_444_800 });
    case "blob":
      return fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString("base64"));
    case "list": {
      const min = Math.min(shape.min ?? 0, MAX_ITEMS);
      return fc.array(value(shape.member as string, depth + 1, mode), {
        minLength: min,
        maxLength: Math.max(min, Math.min(shape.max ?? MAX_ITEMS, MAX_ITEMS)),
      });
    }
    case "map":
      return fc
        .array(
          fc.tuple(validString(SHAPES[shape.key as string]), value(shape.value as string, depth + 1, mode)),
          { maxLength: MAX_ITEMS },
        )
        .map((entries) => Object.fromEntries(entries));
    case "structure":
      return structure(name, depth, mode);
  }
}

/** A member's value: valid-ish, or in a broken case sometimes broken. */
function value(name: string, depth: number, mode: Mode): fc.Arbitrary<unknown> {
  const shape = SHAPES[name];
  if (depth > MAX_DEPTH) return fc.constant(null);
  const valid = validValue(name, depth, mode);
  if (mode === "valid") return valid;
  const broken = shape.type === "string" ? fc.oneof(brokenString(shape), anyJson) : anyJson;
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: broken });
}

function structure(name: string, depth: number, mode: Mode): fc.Arbitrary<Record<string, unknown>> {
  const shape = SHAPES[name];
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [member, memberShape] of Object.entries(shape.members ?? {})) {
    const fixture = FIXTURE_MEMBERS[member];
    const generated = value(memberShape, depth + 1, mode);
    record[member] = fixture
      ? fc.oneof({ weight: 6, arbitrary: fc.constant(`${PLACEHOLDER}${fixture}`) }, generated)
      : generated;
  }
  const required = shape.required ?? [];
  const withRequired = fc.record(record, { requiredKeys: required });
  if (mode === "valid") return withRequired;
  // A required member left out, or an unknown one added.
  return fc.oneof(
    withRequired,
    fc.record(record, { requiredKeys: [] }),
    fc
      .tuple(withRequired, fc.string({ minLength: 1, maxLength: 12 }), anyJson)
      .map(([input, key, extra]) => ({ ...input, [key]: extra })),
  );
}

export interface FuzzCase {
  operation: string;
  body: unknown;
}

/** One operation and its input; now and then a body that is not an object at all. */
export function fuzzCase(): fc.Arbitrary<FuzzCase> {
  return fc.constantFrom(...OPERATION_NAMES).chain((operation) => {
    const input = OPERATIONS[operation].input;
    const body = input
      ? fc.oneof(
          { weight: 12, arbitrary: structure(input, 0, "valid") },
          { weight: 7, arbitrary: structure(input, 0, "broken") },
          { weight: 1, arbitrary: anyJson },
        )
      : anyJson;
    return body.map((b) => ({ operation, body: b }));
  });
}

export interface FuzzAnswer {
  status: number;
  text: string;
  errorTypeHeader: string | null;
}

export async function send(url: string, operation: string, body: string): Promise<FuzzAnswer> {
  const res = await fetch(`${url}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
    },
    body,
    signal: AbortSignal.timeout(HANG_MS),
  });
  return { status: res.status, text: await res.text(), errorTypeHeader: res.headers.get("x-amzn-errortype") };
}

/** What is wrong with an answer, or undefined when it is a success or a proper Cognito error. */
export function answerProblem(answer: FuzzAnswer): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return `status ${answer.status}, a body that is not JSON: ${answer.text.slice(0, 200)}`;
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return `a body that is not an object`;
  if (answer.status === 200) return undefined;
  const { __type, message } = body as { __type?: unknown; message?: unknown };
  if (answer.status >= 500) return `status ${answer.status} ${String(__type)}: ${String(message)}`;
  if (answer.status !== 400) return `status ${answer.status}`;
  if (typeof __type !== "string" || !/^[A-Z][A-Za-z]+Exception$/.test(__type))
    return `no __type: ${answer.text}`;
  if (typeof message !== "string") return `no message: ${answer.text}`;
  if (answer.errorTypeHeader !== `${__type}:`)
    return `x-amzn-ErrorType ${answer.errorTypeHeader} for ${__type}`;
  return undefined;
}

export interface FuzzResult {
  seed: number;
  runs: number;
  /** Answers by status and error type, e.g. `400 InvalidParameterException`. */
  outcomes: Map<string, number>;
  /** The operations that answered 200 at least once. */
  succeeded: Set<string>;
}

/**
 * Runs the property `runs` times from `seed`; throws fast-check's report (seed, path and the
 * shrunk counterexample) on the first failure.
 */
export async function fuzzOperations(
  url: string,
  options: { runs: number; seed: number },
): Promise<FuzzResult> {
  const outcomes = new Map<string, number>();
  const succeeded = new Set<string>();
  let fixtures = await createFuzzFixtures(url);
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(fuzzCase(), async (c) => {
      if (++cases % FIXTURES_EVERY === 0) fixtures = await createFuzzFixtures(url);
      const body = JSON.stringify(withFixtures(c.body, fixtures)) ?? "null";
      const answer = await send(url, c.operation, body);
      const problem = answerProblem(answer);
      if (problem) throw new Error(`${c.operation} ${body.slice(0, 2000)}: ${problem}`);
      const type = answer.status === 200 ? "ok" : (JSON.parse(answer.text) as { __type: string }).__type;
      const key = `${answer.status} ${type}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      if (answer.status === 200) succeeded.add(c.operation);
    }),
    { numRuns: options.runs, seed: options.seed, endOnFailure: false },
  );
  return { seed: options.seed, runs: options.runs, outcomes, succeeded };
}

async function call(url: string, operation: string, body: unknown): Promise<Record<string, unknown>> {
  const answer = await send(url, operation, JSON.stringify(body));
  if (answer.status !== 200) throw new Error(`${operation}: ${answer.text}`);
  return JSON.parse(answer.text) as Record<string, unknown>;
}

/** A pool, an app client, a group and a signed-in user for the fuzz to aim at. */
export async function createFuzzFixtures(url: string): Promise<FuzzFixtures> {
  const password = "Fuzz-passw0rd!";
  const pool = await call(url, "CreateUserPool", { PoolName: "fuzz" });
  const poolId = (pool.UserPool as { Id: string }).Id;
  const client = await call(url, "CreateUserPoolClient", {
    UserPoolId: poolId,
    ClientName: "fuzz",
    ExplicitAuthFlows: [
      "ALLOW_ADMIN_USER_PASSWORD_AUTH",
      "ALLOW_USER_PASSWORD_AUTH",
      "ALLOW_REFRESH_TOKEN_AUTH",
    ],
  });
  const clientId = (client.UserPoolClient as { ClientId: string }).ClientId;
  const username = "fuzz-user";
  await call(url, "AdminCreateUser", { UserPoolId: poolId, Username: username, MessageAction: "SUPPRESS" });
  await call(url, "AdminSetUserPassword", {
    UserPoolId: poolId,
    Username: username,
    Password: password,
    Permanent: true,
  });
  await call(url, "CreateGroup", { UserPoolId: poolId, GroupName: "fuzz-group" });
  const auth = await call(url, "AdminInitiateAuth", {
    UserPoolId: poolId,
    ClientId: clientId,
    AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
  const result = auth.AuthenticationResult as { AccessToken: string; RefreshToken: string };
  return {
    poolId,
    clientId,
    username,
    password,
    groupName: "fuzz-group",
    accessToken: result.AccessToken,
    refreshToken: result.RefreshToken,
  };
}
