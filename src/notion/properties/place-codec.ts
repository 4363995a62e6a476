import { expectType, invalidValue, isRecord } from './codec-helpers.js';
import type { PlacePlain, PropertyCodec } from './property-codec.js';

function optionalString(value: unknown): value is string | null | undefined {
  return value === undefined || value === null || typeof value === 'string';
}

/**
 * `place`: reads {@link PlacePlain} (`lat`/`lon` in degrees; labels null when absent) or `null`; writes
 * `{ lat, lon, name?, address?, google_place_id?, aws_place_id? }`. `null` clears.
 */
export const placeCodec: PropertyCodec<PlacePlain | null, Partial<PlacePlain> | null> = {
  type: 'place',
  writable: true,
  read(value) {
    const p = expectType(value, 'place').place;
    if (p === null) return null;
    return {
      lat: p.lat,
      lon: p.lon,
      name: p.name ?? null,
      address: p.address ?? null,
      google_place_id: p.google_place_id ?? null,
      aws_place_id: p.aws_place_id ?? null,
    };
  },
  write(input, ctx) {
    if (input === null) return { type: 'place', place: null };
    const expected =
      '{lat, lon, name?, address?, google_place_id?, aws_place_id?} with lat in [-90, 90], lon in [-180, 180]';
    if (!isRecord(input)) throw invalidValue(ctx, 'place', expected, input);
    const { lat, lon, name, address, google_place_id, aws_place_id } = input;
    const validCoordinates =
      typeof lat === 'number' && typeof lon === 'number' && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
    if (!validCoordinates || ![name, address, google_place_id, aws_place_id].every(optionalString)) {
      throw invalidValue(ctx, 'place', expected, input);
    }
    return {
      type: 'place',
      place: {
        lat,
        lon,
        ...(name == null ? {} : { name }),
        ...(address == null ? {} : { address }),
        ...(google_place_id == null ? {} : { google_place_id }),
        ...(aws_place_id == null ? {} : { aws_place_id }),
      },
    };
  },
};
