/**
 * Small pieces shared by the codecs: narrowing a value to its type, and the errors every codec raises.
 * @internal
 */
import { InvalidValueError, LimitExceededError, ReadOnlyPropertyError } from '../../errors.js';
import type { PropertyValueOf, PropertyValueResponse, WriteContext } from './property-codec.js';

/** Narrows `value` to the SDK variant of `type`, or throws `InvalidValueError` (a codec got another type). */
export function expectType<T extends PropertyValueResponse['type']>(
  value: PropertyValueResponse,
  type: T,
): PropertyValueOf<T> {
  if (value.type !== type) {
    throw new InvalidValueError(
      value.id,
      value.type,
      `the "${type}" codec cannot read a "${value.type}" value`,
      {
        hint: `Read it with codecFor("${value.type}").`,
      },
    );
  }
  return value as PropertyValueOf<T>;
}

/** Describes what a value is, for error messages, without echoing its content. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return `a ${typeof value}`;
}

/** An `InvalidValueError` saying what was expected and what came instead. */
export function invalidValue(
  ctx: WriteContext,
  type: string,
  expected: string,
  got: unknown,
): InvalidValueError {
  return new InvalidValueError(ctx.propertyName, type, `expected ${expected}, got ${describe(got)}.`, {
    hint: `Pass ${expected} for "${ctx.propertyName}".`,
  });
}

/** Refuses a write to a computed property. */
export function refuseWrite(ctx: WriteContext, type: string): never {
  throw new ReadOnlyPropertyError(ctx.propertyName, type);
}

/** Refuses an array longer than Notion accepts in one value, rather than cutting it silently. */
export function checkArrayLimit(
  ctx: WriteContext,
  type: string,
  count: number,
  max: number,
  what: string,
): void {
  if (count > max) {
    throw new LimitExceededError(
      `Property "${ctx.propertyName}" (${type}) has ${count} ${what}; Notion accepts at most ${max} in one value.`,
      { hint: `Reduce "${ctx.propertyName}" to ${max} ${what} or fewer.` },
    );
  }
}

/** Refuses a string longer than `max` UTF-16 code units; `what` names it in the message. */
export function checkStringLimit(
  ctx: WriteContext,
  type: string,
  value: string,
  max: number,
  what = 'the value',
): void {
  if (value.length > max) {
    throw new LimitExceededError(
      `Property "${ctx.propertyName}" (${type}): ${what} is ${value.length} characters long; Notion accepts at most ${max}.`,
      { hint: `Shorten ${what} of "${ctx.propertyName}" to ${max} characters or fewer.` },
    );
  }
}

/** True for a non-null object that is not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A readonly string array check. */
export function isStringArray(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
