/** JSON columns: one place that reads and writes them. */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

export function fromJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === "") return fallback;
  return JSON.parse(text) as T;
}

/** Dates as epoch milliseconds; pg returns bigint columns as numbers once its parser is set. */
export function ms(date: Date): number {
  return date.getTime();
}

export function date(value: number | string): Date {
  return new Date(Number(value));
}

/** Freezes a parsed value and everything in it, so that a shared value cannot be changed by one of its users. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}
