/** Argument parsing of the mirror-related commands in src/cli/cli.ts, with the command modules mocked. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../src/cli/cli.js';

const calls = vi.hoisted(() => ({
  mirror: [] as unknown[],
  runs: [] as unknown[],
  history: [] as unknown[],
  search: [] as unknown[],
}));
vi.mock('../../src/cli/commands/mirror.js', () => ({
  mirror: async (o: unknown) => void calls.mirror.push(o),
}));
vi.mock('../../src/cli/commands/runs.js', () => ({ runs: async (o: unknown) => void calls.runs.push(o) }));
vi.mock('../../src/cli/commands/history.js', () => ({
  history: async (o: unknown) => void calls.history.push(o),
}));
vi.mock('../../src/cli/commands/search.js', () => ({
  search: async (o: unknown) => void calls.search.push(o),
}));

async function parse(...args: string[]): Promise<void> {
  await buildProgram()
    .exitOverride()
    .parseAsync(['node', 'notion-sync', ...args]);
}

describe(buildProgram, () => {
  beforeEach(() => {
    for (const list of Object.values(calls)) list.length = 0;
  });

  it.each([
    [['mirror', 'a', 'b'], { sources: ['a', 'b'], noBodies: false }],
    [['mirror'], { sources: [], noBodies: false }],
    [
      [
        'mirror',
        '--no-bodies',
        '--full',
        '--json',
        '--store',
        'sqlite:x.db',
        '--emulator-url',
        'http://e',
        '--rediscover-after-ms',
        '0',
        'a',
      ],
      {
        sources: ['a'],
        noBodies: true,
        full: true,
        json: true,
        store: 'sqlite:x.db',
        emulatorUrl: 'http://e',
        rediscoverAfterMs: 0,
      },
    ],
  ])('mirror %j', async (args, expected) => {
    await parse(...args);
    expect(calls.mirror).toEqual([expected]);
  });

  it.each(['-5', '1.5', 'soon', ''])('refuses --rediscover-after-ms %j', async (value) => {
    const program = buildProgram();
    const errors: string[] = [];
    for (const command of [program, ...program.commands]) {
      command.exitOverride().configureOutput({ writeErr: (text) => void errors.push(text) });
    }
    await expect(
      program.parseAsync(['node', 'notion-sync', 'mirror', '--rediscover-after-ms', value, 'a']),
    ).rejects.toThrow(/whole number of milliseconds/);
    expect(errors.join('')).toMatch(/--rediscover-after-ms/);
    expect(calls.mirror).toEqual([]);
  });

  it('runs list / runs show, history and search', async () => {
    await parse('runs', 'list', '--plain');
    await parse('runs', 'show', 'r1', '--json');
    await parse('history', 'p1', '--store', 'postgres://h/db');
    await parse('search', 'two words', '--limit', '5');
    expect(calls.runs).toEqual([
      { action: 'list', plain: true },
      { action: 'show', id: 'r1', json: true },
    ]);
    expect(calls.history).toEqual([{ page: 'p1', store: 'postgres://h/db' }]);
    expect(calls.search).toEqual([{ text: 'two words', limit: 5 }]);
  });
});
