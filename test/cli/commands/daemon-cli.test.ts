import { beforeEach, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../../src/cli/cli.js';
import { daemon } from '../../../src/cli/commands/daemon.js';

vi.mock('../../../src/cli/commands/daemon.js', () => ({ daemon: vi.fn(async () => {}) }));

describe(buildProgram, () => {
  beforeEach(() => vi.mocked(daemon).mockClear());

  it('passes the daemon its config, store and --json', async () => {
    await buildProgram().parseAsync(
      ['daemon', '--config', 'x.config.ts', '--store', 'sqlite:./y.db', '--json'],
      {
        from: 'user',
      },
    );
    expect(daemon).toHaveBeenCalledWith({ configPath: 'x.config.ts', store: 'sqlite:./y.db', json: true });
  });

  it('runs the daemon with the defaults when given no flags', async () => {
    await buildProgram().parseAsync(['daemon'], { from: 'user' });
    expect(daemon).toHaveBeenCalledWith({ json: false });
  });
});
