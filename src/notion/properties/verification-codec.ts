import { InvalidValueError, ReadOnlyPropertyError } from '../../errors.js';
import { expectType, invalidValue, isRecord } from './codec-helpers.js';
import { toDatePlain, toDateRequest } from './date-codec.js';
import type { PropertyCodec, PropertyValueResponse, VerificationPlain } from './property-codec.js';

function read(value: PropertyValueResponse): VerificationPlain | null {
  const v = expectType(value, 'verification').verification;
  if (v === null) return null;
  return { state: v.state, verified_by: v.verified_by?.id ?? null, date: toDatePlain(v.date) };
}

/**
 * `verification` (wiki pages): reads {@link VerificationPlain} or `null`. Writes `{ state: 'verified', date? }`
 * or `{ state: 'unverified' }`; `null` writes `unverified`. `verified_by` is Notion's: a value that differs
 * from the current one (`ctx.current`) is refused with `ReadOnlyPropertyError` naming `"<name>.verified_by"`,
 * so a value read earlier can be written back. `expired` is set by Notion and refused.
 */
export const verificationCodec: PropertyCodec<VerificationPlain | null, Partial<VerificationPlain> | null> = {
  type: 'verification',
  writable: true,
  read,
  write(input, ctx) {
    if (input === null) return { type: 'verification', verification: { state: 'unverified' } };
    if (!isRecord(input))
      throw invalidValue(ctx, 'verification', '{state: "verified" | "unverified", date?}', input);
    const verifiedBy = input.verified_by ?? null;
    if (verifiedBy !== null) {
      const current = ctx.current?.type === 'verification' ? read(ctx.current) : null;
      if (current?.verified_by !== verifiedBy)
        throw new ReadOnlyPropertyError(`${ctx.propertyName}.verified_by`, 'verification');
    }
    if (input.state === 'unverified') return { type: 'verification', verification: { state: 'unverified' } };
    if (input.state === 'verified') {
      const date = input.date == null ? undefined : toDateRequest(input.date, ctx, 'verification');
      return {
        type: 'verification',
        verification: date === undefined ? { state: 'verified' } : { state: 'verified', date },
      };
    }
    throw new InvalidValueError(
      ctx.propertyName,
      'verification',
      'state must be "verified" or "unverified".',
      {
        hint: 'Notion sets "expired" itself; write "verified" to verify the page again.',
      },
    );
  },
};
