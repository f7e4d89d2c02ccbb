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

/** Larger inserts (rare: a burst of sign-ins) are compiled each time, so that the kept ones stay small. */
const MAX_COMPILED_INSERT_ROWS = 64;

/**
 * Multi-row inserts compiled once per row count (up to MAX_COMPILED_INSERT_ROWS). The rows must have the same columns in the same
 * order (one function makes them), so the SQL depends only on how many there are; their values are
 * bound in row order, then column order. The first insert of each count checks this with a probe
 * of distinct placeholder values, and only a count whose probe binds in that order is kept.
 */
export class CompiledInsert<R extends object> {
  private readonly compiled = new WeakMap<object, Map<number, CompiledQuery>>();

  constructor(private readonly build: (db: Db, rows: R[]) => Compilable<unknown>) {}

  async execute(db: Db, rows: R[]): Promise<void> {
    const adapter = db.getExecutor().adapter;
    let byCount = this.compiled.get(adapter);
    if (!byCount) {
      byCount = new Map();
      this.compiled.set(adapter, byCount);
    }
    const known = byCount.get(rows.length);
    const values = known && rows.flatMap((row) => Object.values(row));
    if (known && values?.length === known.parameters.length) {
      await db.executeQuery({ ...known, parameters: values });
      return;
    }
    const fresh = this.build(db, rows).compile();
    if (!known && rows.length <= MAX_COMPILED_INSERT_ROWS) {
      const probe = this.probe(db, rows);
      if (probe && probe.sql === fresh.sql) byCount.set(rows.length, probe);
    }
    await db.executeQuery(fresh);
  }

  /** The insert compiled from placeholder rows of the same shape, if it binds them in order. */
  private probe(db: Db, rows: R[]): CompiledQuery | undefined {
    const placeholders = rows.map(
      (row, r) =>
        Object.fromEntries(Object.keys(row).map((column, c) => [column, `\u0000${r}:${c}`])) as unknown as R,
    );
    const compiled = this.build(db, placeholders).compile();
    const values = placeholders.flatMap((row) => Object.values(row) as Value[]);
    return bindsInOrder(compiled.parameters, values) ? compiled : undefined;
  }
}
