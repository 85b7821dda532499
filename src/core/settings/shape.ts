/**
 * Structural checks shared by every section: JSON types, unknown keys, required keys, enums,
 * arrays and maps. Each section file declares a `Fields<T>` table with one check per property of
 * the generated type, so the compiler fails when the schema gains a key the validator ignores.
 */
import { Issues, indexPath, keyPath } from './issues.ts';
import { closestKey } from './suggest.ts';

/** Checks one value found at `path`, adding issues; never throws. */
export type FieldCheck = (value: unknown, path: string, issues: Issues) => void;

/** One check per property of T, optional ones included. */
export type Fields<T> = { [K in keyof T]-?: FieldCheck };

/** An object's raw members, for cross-field checks once each field has been checked on its own. */
export type Members<T> = { [K in keyof T]?: unknown };

/** A rule on a string that returns the problem (without the path), or undefined when it is fine. */
export type StringRule = (text: string) => string | undefined;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks that `value` is an object with only the keys in `fields`, that `required` ones are there,
 * and runs each field's check. Returns the members for cross-field checks, or undefined when
 * `value` is not an object at all.
 */
export function checkObject<T>(
  value: unknown,
  path: string,
  issues: Issues,
  fields: Fields<T>,
  required: readonly (keyof T & string)[] = [],
): Members<T> | undefined {
  if (!isPlainObject(value)) {
    issues.add(path, 'must be an object');
    return undefined;
  }
  const known = Object.keys(fields);
  for (const name of required) {
    if (value[name] === undefined) issues.add(keyPath(path, name), 'required');
  }
  for (const [name, member] of Object.entries(value)) {
    const check = (fields as Record<string, FieldCheck>)[name];
    if (!Object.hasOwn(fields, name)) {
      const hint = closestKey(name, known);
      issues.add(keyPath(path, name), hint ? `unknown key (did you mean "${hint}"?)` : 'unknown key');
    } else if (member !== undefined) {
      check(member, keyPath(path, name), issues);
    }
  }
  return value as Members<T>;
}

/** A string field, optionally with a rule on its content. */
export function stringField(rule?: StringRule): FieldCheck {
  return (value, path, issues) => {
    if (typeof value !== 'string') return issues.add(path, 'must be a string');
    const problem = rule?.(value);
    if (problem) issues.add(path, problem);
  };
}

export const booleanField: FieldCheck = (value, path, issues) => {
  if (typeof value !== 'boolean') issues.add(path, 'must be true or false');
};

/** An integer field within [min, max]; `explain` is appended to the range message. */
export function integerField(min: number, max: number, explain = ''): FieldCheck {
  const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
  return (value, path, issues) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) return issues.add(path, `must be a whole number ${range}${explain}`);
    if (value < min || value > max) issues.add(path, `must be ${range}${explain}; it is ${value}`);
  };
}

/** A string that must be one of `values`. */
export function enumField(values: readonly string[]): FieldCheck {
  const list = values.map((v) => `"${v}"`).join(', ');
  return (value, path, issues) => {
    if (typeof value === 'string' && values.includes(value)) return;
    const hint = typeof value === 'string' ? closestKey(value, values) : undefined;
    issues.add(path, `must be one of ${list}${hint ? ` (did you mean "${hint}"?)` : ''}`);
  };
}

/** An array whose items each pass `item`; `nonEmpty` demands at least one. */
export function arrayField(item: FieldCheck, options: { nonEmpty?: boolean } = {}): FieldCheck {
  return (value, path, issues) => {
    if (!Array.isArray(value)) return issues.add(path, 'must be an array');
    if (options.nonEmpty && value.length === 0) issues.add(path, 'must list at least one item');
    value.forEach((v, i) => item(v, indexPath(path, i), issues));
  };
}

/** An object used as a map: every key passes `keyRule`, every value passes `item`. */
export function mapField(keyRule: StringRule, item: FieldCheck): FieldCheck {
  return (value, path, issues) => {
    if (!isPlainObject(value)) return issues.add(path, 'must be an object');
    for (const [key, member] of Object.entries(value)) {
      const memberPath = keyPath(path, key);
      const problem = keyRule(key);
      if (problem) issues.add(memberPath, problem);
      item(member, memberPath, issues);
    }
  };
}

/** The member as a string when it is one (cross-field checks skip values already reported). */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Text for one line of a config file: no line breaks or other control characters. */
export const singleLine: StringRule = (text) =>
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f]/.test(text) ? 'must be a single line without control characters' : undefined;

/** Combines rules; the first problem wins. */
export function allOf(...rules: StringRule[]): StringRule {
  return (text) => {
    for (const rule of rules) {
      const problem = rule(text);
      if (problem) return problem;
    }
    return undefined;
  };
}

/** Rejects the empty string. */
export const nonEmpty: StringRule = (text) => (text.length === 0 ? 'must not be empty' : undefined);

/** Whether `value` is one of the strings in `values`. */
export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}
