import { describe, expect, it } from 'vitest';
import { InvalidIdError } from '../../src/errors.js';
import { parseNotionId, tryParseNotionId } from '../../src/notion/notion-id.js';

const HEX = '1f2e3d4c5b6a79881f2e3d4c5b6a7988';
const UUID = '1f2e3d4c-5b6a-7988-1f2e-3d4c5b6a7988';
const VIEW = 'aaaabbbbccccddddeeeeffff00001111';
const PEEK = '99998888777766665555444433332222';
const PEEK_UUID = '99998888-7777-6666-5555-444433332222';

describe(parseNotionId, () => {
  it.each([
    [HEX, UUID],
    [HEX.toUpperCase(), UUID],
    [UUID, UUID],
    [UUID.toUpperCase(), UUID],
    [`  ${HEX}\n`, UUID],
    [`My-Page-${HEX}`, UUID],
    [`https://www.notion.so/${HEX}`, UUID],
    [`https://notion.so/${HEX}`, UUID],
    [`https://www.notion.so/acme/Roadmap-2026-${HEX}`, UUID],
    [`https://www.notion.so/acme/${HEX}?v=${VIEW}`, UUID],
    [`https://www.notion.so/acme/Tasks-${HEX}?v=${VIEW}&pvs=4`, UUID],
    [`https://www.notion.so/acme/Tasks-${HEX}?v=${VIEW}&p=${PEEK}&pm=s`, PEEK_UUID],
    [`https://acme.notion.site/Public-Page-${HEX}`, UUID],
    [`https://notion.site/${HEX}`, UUID],
    [`www.notion.so/acme/Page-${HEX}`, UUID],
    [`https://www.notion.so/Page-${HEX}#${VIEW}`, UUID],
    [`https://www.notion.so/acme/${UUID}`, UUID],
    [`https://www.notion.so/acme/Caf%C3%A9-${HEX}`, UUID],
  ])('%s → %s', (input, expected) => {
    expect(parseNotionId(input)).toBe(expected);
    expect(tryParseNotionId(input)).toBe(expected);
  });

  it.each([
    [''],
    ['   '],
    ['not-an-id'],
    [HEX.slice(1)],
    [`${HEX}0`],
    [HEX.replace('1', 'g')],
    ['1f2e3d4c-5b6a-7988-1f2e-3d4c5b6a798'],
    [`https://example.com/${HEX}`],
    [`https://evil-notion.so.example.com/${HEX}`],
    ['https://www.notion.so/acme/Roadmap'],
    [`ftp://www.notion.so/${HEX}`],
  ])('rejects %j', (input) => {
    expect(tryParseNotionId(input)).toBeNull();
    expect(() => parseNotionId(input)).toThrow(InvalidIdError);
  });

  it('names what was given (shortened) and what is accepted', () => {
    const long = `https://example.com/${'x'.repeat(200)}`;
    let error: InvalidIdError | undefined;
    try {
      parseNotionId(long);
    } catch (e) {
      error = e as InvalidIdError;
    }
    expect(error?.code).toBe('invalid_id');
    expect(error?.message).toContain('https://example.com/xxx');
    expect(error?.message.length).toBeLessThan(120);
    expect(error?.hint).toContain('32 hexadecimal characters');
    expect(error?.hint).toContain('notion.so');
  });

  it('never echoes a pasted token', () => {
    const token = 'ntn_abcdefghijklmnopqrstuvwxyz0123456789ABCD';
    expect(() => parseNotionId(token)).toThrow(InvalidIdError);
    try {
      parseNotionId(token);
    } catch (e) {
      expect((e as Error).message).not.toContain('abcdefghijklmnop');
    }
  });
});
