import type {
  GroupObjectRequest,
  PartialUserObjectRequest,
} from '@notionhq/client/build/src/api-endpoints.js';
import { MAX_PEOPLE_ITEMS } from '../limits.js';
import { checkArrayLimit, expectType, invalidValue, isRecord } from './codec-helpers.js';
import type { PersonPlain, PropertyCodec } from './property-codec.js';

/**
 * `people`: reads `{ id, object: 'user' | 'group', email? }` per person (email when Notion returned a full
 * person user); writes user ids, or `PersonPlain`s (groups kept as groups). Over 100 refused with
 * `LimitExceededError`. `null` or `[]` clears. A page object lists at most 25 people: complete it with
 * `completeTruncatedProperties` first.
 */
export const peopleCodec: PropertyCodec<readonly PersonPlain[], readonly (string | PersonPlain)[] | null> = {
  type: 'people',
  writable: true,
  read: (value) =>
    expectType(value, 'people').people.map((p): PersonPlain => {
      if (p.object === 'group') return { id: p.id, object: 'group' };
      const email = 'type' in p && p.type === 'person' ? p.person.email : undefined;
      return email === undefined ? { id: p.id, object: 'user' } : { id: p.id, object: 'user', email };
    }),
  write(input, ctx) {
    const expected = 'an array of user ids or {id, object}';
    if (input !== null && !Array.isArray(input)) throw invalidValue(ctx, 'people', expected, input);
    const people = input ?? [];
    checkArrayLimit(ctx, 'people', people.length, MAX_PEOPLE_ITEMS, 'people');
    return {
      type: 'people',
      people: people.map((p): PartialUserObjectRequest | GroupObjectRequest => {
        const id: unknown = typeof p === 'string' ? p : isRecord(p) ? p['id'] : undefined;
        if (typeof id !== 'string' || id === '') throw invalidValue(ctx, 'people', expected, p);
        return typeof p !== 'string' && p.object === 'group'
          ? { id, object: 'group' }
          : { id, object: 'user' };
      }),
    };
  },
};
