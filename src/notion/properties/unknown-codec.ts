import { UnsupportedPropertyError } from '../../errors.js';
import type { PropertyCodec, PropertyValueResponse, UnknownPlain } from './property-codec.js';

/**
 * The codec of a property type this version does not know (a type Notion added later). It reads the raw
 * JSON under the type's key (or the whole value when that key is missing) with the type name, so nothing is
 * dropped, and refuses writes with `UnsupportedPropertyError`.
 */
export function createUnknownCodec(type: string): PropertyCodec<UnknownPlain, unknown> {
  return {
    type,
    writable: false,
    read(value: PropertyValueResponse): UnknownPlain {
      const record = value as unknown as Record<string, unknown>;
      const actualType = typeof record['type'] === 'string' ? record['type'] : type;
      return { unknownType: actualType, raw: actualType in record ? record[actualType] : record };
    },
    write(_plain, ctx) {
      throw new UnsupportedPropertyError(ctx.propertyName, type, undefined, {
        hint: `notion-sync cannot write "${type}" properties yet: leave "${ctx.propertyName}" out of the values you write.`,
      });
    },
  };
}
