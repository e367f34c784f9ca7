import * as z from 'zod';

/**
 * Collections keyed by names someone else chose (profiles, env names, key names, section names). A plain object
 * answers to `constructor`, `toString` and `__proto__` before anything is put in it, and zod's `record` silently
 * drops an own `__proto__` key. These schemas read a JSON object into a Map (or a null-prototype record) that keeps
 * every own key, and nothing else.
 */

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON object parsed into a Map, each value by `value`; problems carry the key in their path. */
export interface NameMapOptions {
  maxKeys?: number;
  maxKeyLength?: number;
}

export function nameMapSchema<T>(value: z.ZodType<T>, opts: NameMapOptions = {}): z.ZodType<Map<string, T>> {
  return z.unknown().transform((input, ctx) => {
    if (!isJsonObject(input)) {
      ctx.addIssue({ code: 'custom', message: 'expected an object' });
      return z.NEVER;
    }
    const keys = Object.keys(input);
    if (opts.maxKeys !== undefined && keys.length > opts.maxKeys) {
      ctx.addIssue({ code: 'custom', message: `expected at most ${opts.maxKeys} entries; found ${keys.length}` });
      return z.NEVER;
    }
    const out = new Map<string, T>();
    for (const key of keys) {
      if (opts.maxKeyLength !== undefined && key.length > opts.maxKeyLength) {
        ctx.addIssue({ code: 'custom', message: `a key is longer than ${opts.maxKeyLength} characters` });
        continue;
      }
      const parsed = value.safeParse(input[key]);
      if (parsed.success) out.set(key, parsed.data);
      else
        for (const issue of parsed.error.issues)
          ctx.addIssue({ code: 'custom', message: issue.message, path: [key, ...issue.path] });
    }
    return out;
  }) as unknown as z.ZodType<Map<string, T>>;
}

/** The same, into a null-prototype object: for records that are hashed or serialised as they are (audit events). */
export function nameRecordSchema<T>(value: z.ZodType<T>, opts: NameMapOptions = {}): z.ZodType<Record<string, T>> {
  return nameMapSchema(value, opts).transform((map) => recordOf(map)) as unknown as z.ZodType<Record<string, T>>;
}

/** A null-prototype object with the map's entries, in order: JSON.stringify writes every key, `__proto__` too. */
export function recordOf<T>(map: ReadonlyMap<string, T>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const [key, item] of map) out[key] = item;
  return out;
}
