/**
 * zod schemas of the API's own input shapes, built from the service model, so that a seed file's
 * pool, client, domain, group and resource-server settings are checked as strictly as the
 * configuration: an unknown member or a wrong type names its path. The constraints the model adds
 * (lengths, patterns, enums) are checked again by the operations themselves when the seed applies.
 */
import { z } from "zod";
import { SHAPES } from "../protocol/model.generated.js";

const cache = new Map<string, z.ZodType>();

function stringSchema(name: string): z.ZodType {
  const shape = SHAPES[name];
  if (shape.enum) return z.enum(shape.enum as [string, ...string[]]);
  let schema = z.string();
  if (shape.min !== undefined) schema = schema.min(shape.min);
  if (shape.max !== undefined) schema = schema.max(shape.max);
  return schema;
}

function build(name: string): z.ZodType {
  const shape = SHAPES[name];
  if (shape.document) return z.unknown();
  switch (shape.type) {
    case "structure":
      return structureSchema(name, []);
    case "string":
      return stringSchema(name);
    case "integer":
    case "long": {
      let schema = z.number().int();
      if (shape.min !== undefined) schema = schema.min(shape.min);
      if (shape.max !== undefined) schema = schema.max(shape.max);
      return schema;
    }
    case "boolean":
      return z.boolean();
    case "list":
      return z.array(z.lazy(() => shapeSchema(shape.member!)));
    case "map":
      return z.record(
        z.string(),
        z.lazy(() => shapeSchema(shape.value!)),
      );
    default:
      return z.unknown();
  }
}

/** The schema of one shape of the model. */
export function shapeSchema(name: string): z.ZodType {
  let schema = cache.get(name);
  if (!schema) {
    schema = build(name);
    cache.set(name, schema);
  }
  return schema;
}

/** A structure's members, each optional unless required, and no other key. */
function structureSchema(name: string, omit: string[]): z.ZodType<Record<string, unknown>> {
  const shape = SHAPES[name];
  const required = new Set(shape.required ?? []);
  const members = Object.fromEntries(
    Object.entries(shape.members ?? {})
      .filter(([member]) => !omit.includes(member))
      .map(([member, target]) => {
        const schema = z.lazy(() => shapeSchema(target));
        return [member, required.has(member) ? schema : schema.optional()];
      }),
  );
  return z.strictObject(members) as unknown as z.ZodType<Record<string, unknown>>;
}

/** An operation's input shape without the members the seed gives elsewhere (the pool id, a client's secret). */
export function inputSchema(shapeName: string, omit: string[]): z.ZodType<Record<string, unknown>> {
  return structureSchema(shapeName, omit);
}
