/**
 * Request validation against the service model's shapes, as Cognito does it: every violated
 * constraint becomes one line of an InvalidParameterException; a value of the wrong JSON type is a
 * SerializationException (the service cannot read it at all). Also normalises the input: JSON
 * nulls mean "absent" (clients send `"DEVICE_KEY": null`), timestamps become Dates.
 */
import { Errors } from "../domain/errors.js";
import { SHAPES } from "./model.generated.js";
import type { ShapeDescriptor } from "./model-types.js";

const regexCache = new Map<string, RegExp>();

function regexFor(pattern: NonNullable<ShapeDescriptor["pattern"]>): RegExp {
  let re = regexCache.get(pattern.source);
  if (!re) {
    re = new RegExp(pattern.source, pattern.flags);
    regexCache.set(pattern.source, re);
  }
  return re;
}

const NULL_CHARACTER_RULE = "Member must not contain the null character";

/** Cognito's longest attribute value; no legitimate unbounded value that a backtracking pattern checks is longer. */
const UNBOUNDED_BACKTRACKING_INPUT = 2048;

/** More than one unbounded repetition: the regex engine may try every split of the input. */
function canBacktrack(source: string): boolean {
  return (source.match(/[\])][+*]/g) ?? []).length > 1;
}

/** Cognito names members in lowerCamelCase in its messages: `userPoolId`, `contextData.ipAddress`. */
function memberPath(parent: string, member: string): string {
  const name = member.charAt(0).toLowerCase() + member.slice(1);
  return parent ? `${parent}.${name}` : name;
}

function display(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(display).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${display(v)}`)
      .join(", ")}}`;
  }
  return String(value);
}

/** Java's String.hashCode. */
function javaHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * The order in which AWS lists an enum's values when a member of a list breaks it: that of a
 * 32-bucket hash set over Java's String.hashCode, later values first within a bucket. Inferred
 * from the two observed messages (allowedOAuthFlows' [implicit, client_credentials, code] and
 * explicitAuthFlows' eight values), which it reproduces exactly; a scalar keeps the model's order.
 */
function listEnumOrder(values: readonly string[]): string[] {
  return values
    .map((value, index) => ({ value, index, bucket: javaHash(value) & 31 }))
    .sort((a, b) => a.bucket - b.bucket || b.index - a.index)
    .map((entry) => entry.value);
}
/**
 * Model constraints Cognito does not apply as published. DomainType allows 63 characters without a
 * dot, yet custom domains are full host names (OAUTH.md §1.1): a request's domain is held to a host
 * name's length here, and domain/domains.ts checks its characters with Cognito's own message.
 */
const AS_APPLIED: Record<string, ShapeDescriptor> = {
  DomainType: { type: "string", min: 1, max: 253 },
};

class Walker {
  readonly violations: string[] = [];
  /** The rule of each violation, as a list of strings reports its members' (see stringList). */
  readonly rules: string[] = [];

  constructor(private readonly enumOrder: (values: readonly string[]) => readonly string[] = (v) => v) {}

  private violation(path: string, value: unknown, sensitive: boolean, rule: string): void {
    const shown = sensitive ? "Value" : `Value '${display(value)}'`;
    this.violations.push(`${shown} at '${path}' failed to satisfy constraint: ${rule}`);
    this.rules.push(rule);
  }

  private typeError(path: string, expected: string): never {
    throw Errors.serialization(`Expected ${expected} at '${path || "input"}'.`);
  }

  walk(shapeName: string, value: unknown, path: string, sensitive: boolean): unknown {
    const shape = AS_APPLIED[shapeName] ?? SHAPES[shapeName];
    const hidden = sensitive || shape.sensitive === true;
    if (shape.document) return value;
    switch (shape.type) {
      case "structure":
        return this.structure(shape, value, path, hidden);
      case "list":
        return this.list(shape, value, path, hidden);
      case "map":
        return this.map(shape, value, path, hidden);
      case "string":
        return this.string(shape, value, path, hidden);
      case "blob":
        if (typeof value !== "string") this.typeError(path, "a base64 string");
        this.blobLength(shape, value, path, hidden);
        return value;
      case "integer":
      case "long":
        return this.number(shape, value, path, hidden);
      case "boolean":
        if (typeof value !== "boolean") this.typeError(path, "a boolean");
        return value;
      case "timestamp":
        if (typeof value !== "number" || !Number.isFinite(value)) this.typeError(path, "epoch seconds");
        return new Date(value * 1000);
    }
  }

  private structure(shape: ShapeDescriptor, value: unknown, path: string, hidden: boolean): unknown {
    if (value === null || typeof value !== "object" || Array.isArray(value))
      this.typeError(path, "an object");
    const input = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    const members = shape.members ?? {};
    for (const required of shape.required ?? []) {
      if (input[required] === undefined || input[required] === null) {
        this.violations.push(
          `Value null at '${memberPath(path, required)}' failed to satisfy constraint: Member must not be null`,
        );
      }
    }
    for (const [name, target] of Object.entries(members)) {
      const v = input[name];
      if (v === undefined || v === null) continue;
      out[name] = this.walk(target, v, memberPath(path, name), hidden);
    }
    return out;
  }

  private list(shape: ShapeDescriptor, value: unknown, path: string, hidden: boolean): unknown {
    if (!Array.isArray(value)) this.typeError(path, "a list");
    this.length(shape, value, value.length, path, hidden);
    const items = value.filter((item) => item !== null && item !== undefined);
    const member = shape.member as string;
    if (SHAPES[member].type === "string") return this.stringList(member, items, value, path, hidden);
    return items.map((item, i) => this.walk(member, item, `${path}.${i + 1}.member`, hidden));
  }

  /**
   * AWS reports the members of a list of strings at the list, once: `Value '[code, token]' at
   * 'allowedOAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [<rules>]`
   * (OAUTH.md §4; members of structures keep their own paths, `logConfigurations.1.member.logLevel`).
   */
  private stringList(
    member: string,
    items: unknown[],
    value: unknown[],
    path: string,
    hidden: boolean,
  ): unknown {
    const members = new Walker(listEnumOrder);
    const out = items.map((item, i) => members.walk(member, item, `${path}.${i + 1}.member`, hidden));
    if (members.rules.length > 0) {
      const rules = [...new Set(members.rules)].join(", ");
      this.violation(
        path,
        value,
        hidden || SHAPES[member].sensitive === true,
        `Member must satisfy constraint: [${rules}]`,
      );
    }
    return out;
  }

  private map(shape: ShapeDescriptor, value: unknown, path: string, hidden: boolean): unknown {
    if (value === null || typeof value !== "object" || Array.isArray(value)) this.typeError(path, "a map");
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null);
    this.length(shape, value, entries.length, path, hidden);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      this.walk(shape.key as string, k, `${path}.key`, hidden);
      out[k] = this.walk(shape.value as string, v, `${path}.${k}`, hidden);
    }
    return out;
  }

  private string(shape: ShapeDescriptor, value: unknown, path: string, hidden: boolean): unknown {
    if (typeof value !== "string") this.typeError(path, "a string");
    const before = this.violations.length;
    this.length(shape, value, value.length, path, hidden);
    if (shape.enum && !shape.enum.includes(value)) {
      this.violation(
        path,
        value,
        hidden,
        `Member must satisfy enum value set: [${this.enumOrder(shape.enum).join(", ")}]`,
      );
    }
    if (shape.pattern && !this.matches(shape, shape.pattern, value)) {
      this.violation(
        path,
        value,
        hidden,
        `Member must satisfy regular expression pattern: ${shape.pattern.java}`,
      );
    } else if (this.violations.length === before && value.includes("\u0000")) {
      // No Cognito value holds U+0000, and PostgreSQL text cannot: refused alike on both
      // databases, where a pattern that allows it (or none) would let it reach the store [UNDOC].
      this.violation(path, value, hidden, NULL_CHARACTER_RULE);
    }
    return value;
  }

  /**
   * Some model patterns (`X+@X+`, `X*\{##X*##\}X*`) backtrack quadratically on hostile input, so a
   * pattern never runs on more text than the model allows: over its max length the length
   * violation alone is reported; without a max, a pattern that can backtrack fails beyond
   * UNBOUNDED_BACKTRACKING_INPUT characters instead of running.
   */
  private matches(
    shape: ShapeDescriptor,
    pattern: NonNullable<ShapeDescriptor["pattern"]>,
    value: string,
  ): boolean {
    if (shape.max !== undefined && value.length > shape.max) return true;
    if (
      shape.max === undefined &&
      value.length > UNBOUNDED_BACKTRACKING_INPUT &&
      canBacktrack(pattern.source)
    ) {
      return false;
    }
    return regexFor(pattern).test(value);
  }

  /** A blob's length is its bytes', shown as AWS's Java validator shows a byte buffer. */
  private blobLength(shape: ShapeDescriptor, base64: string, path: string, hidden: boolean): void {
    const bytes = Buffer.byteLength(base64, "base64");
    this.length(shape, `java.nio.HeapByteBuffer[pos=0 lim=${bytes} cap=${bytes}]`, bytes, path, hidden);
  }

  private number(shape: ShapeDescriptor, value: unknown, path: string, hidden: boolean): unknown {
    if (typeof value !== "number" || !Number.isFinite(value)) this.typeError(path, "a number");
    if (!Number.isInteger(value)) this.typeError(path, "an integer");
    if (shape.min !== undefined && value < shape.min) {
      this.violation(path, value, hidden, `Member must have value greater than or equal to ${shape.min}`);
    }
    if (shape.max !== undefined && value > shape.max) {
      this.violation(path, value, hidden, `Member must have value less than or equal to ${shape.max}`);
    }
    return value;
  }

  private length(
    shape: ShapeDescriptor,
    value: unknown,
    length: number,
    path: string,
    hidden: boolean,
  ): void {
    if (shape.min !== undefined && length < shape.min) {
      this.violation(path, value, hidden, `Member must have length greater than or equal to ${shape.min}`);
    }
    if (shape.max !== undefined && length > shape.max) {
      this.violation(path, value, hidden, `Member must have length less than or equal to ${shape.max}`);
    }
  }
}

/**
 * Validates `body` against the input shape; returns the normalised input or throws a
 * CognitoError (InvalidParameterException listing every violation, or SerializationException).
 */
export function validateInput(shapeName: string | null, body: unknown): Record<string, unknown> {
  if (shapeName === null) return {};
  const walker = new Walker();
  const result = walker.walk(shapeName, body, "", false) as Record<string, unknown>;
  if (walker.violations.length > 0) throw Errors.validation(walker.violations);
  return result;
}
