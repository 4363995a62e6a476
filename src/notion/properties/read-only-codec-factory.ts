/**
 * Codecs of computed types: readable, never written.
 * @internal
 */
import { expectType, refuseWrite } from './codec-helpers.js';
import type { PlainValue, PropertyCodec, PropertyValueOf, PropertyValueResponse } from './property-codec.js';

/** A codec of `type` that reads with `read` and refuses every write with `ReadOnlyPropertyError`. */
export function createReadOnlyCodec<T extends PropertyValueResponse['type'], TPlain extends PlainValue>(
  type: T,
  read: (value: PropertyValueOf<T>) => TPlain,
): PropertyCodec<TPlain, unknown> {
  return {
    type,
    writable: false,
    read: (value) => read(expectType(value, type)),
    write: (_plain, ctx) => refuseWrite(ctx, type),
  };
}
