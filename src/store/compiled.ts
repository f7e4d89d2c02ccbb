/**
 * Lookups compiled once. Building a query's tree and compiling it to SQL costs more than running
 * a lookup by key on a cached statement (docs/PERFORMANCE.md), so the reads every sign-in makes
 * compile on first use and then run the same SQL with the new values bound.
 */
import type { Compilable, CompiledQuery } from "kysely";
import type { Db } from "./store.js";

type Value = string | number;

/**
 * Whether the compiled query binds exactly `args`, in order, and nothing else: then any later
 * arguments can take their places. Equal arguments could hide a swapped order, so they do not count.
 */
function bindsInOrder(parameters: readonly unknown[], args: readonly Value[]): boolean {
  return (
    parameters.length === args.length &&
    new Set(args).size === args.length &&
    args.every((arg, i) => parameters[i] === arg)
  );
}

/**
 * A query whose SQL depends only on the dialect; its values are `args`, bound in the order given.
 * Compiled once per database (its adapter: a store and its transactions share it), and checked on
 * that first compilation to bind `args` in order; a query that does not is compiled every time.
 */
export class CompiledLookup<Args extends readonly Value[], Row> {
  private readonly compiled = new WeakMap<object, CompiledQuery<Row>>();

  constructor(private readonly build: (db: Db, ...args: Args) => Compilable<Row>) {}

  async execute(db: Db, ...args: Args): Promise<Row[]> {
    const adapter = db.getExecutor().adapter;
    const known = this.compiled.get(adapter);
    if (known) return (await db.executeQuery<Row>({ ...known, parameters: args })).rows;
    const fresh = this.build(db, ...args).compile();
    if (bindsInOrder(fresh.parameters, args)) this.compiled.set(adapter, fresh);
    return (await db.executeQuery<Row>(fresh)).rows;
  }

  async executeTakeFirst(db: Db, ...args: Args): Promise<Row | undefined> {
    return (await this.execute(db, ...args))[0];
  }
}
