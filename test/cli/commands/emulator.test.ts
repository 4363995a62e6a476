import { Client } from '@notionhq/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emulator } from '../../../src/cli/commands/emulator.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe(emulator, () => {
  it('starts the emulator, prints a JSON line with its URL, serves until told to stop', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
    let stop!: () => void;
    const until = new Promise<void>((r) => (stop = r));
    const running = emulator({ port: 0, json: true, token: 'secret_cli', until });
    await vi.waitFor(() => expect(lines).toHaveLength(1));
    const info = JSON.parse(lines[0]!) as { url: string; rootPageId: string };
    const notion = new Client({ auth: 'secret_cli', baseUrl: info.url, retry: false });
    const root = await notion.pages.retrieve({ page_id: info.rootPageId });
    expect(root.id).toBe(info.rootPageId);
    stop();
    await running;
    await expect(fetch(`${info.url}/v1/users/me`)).rejects.toThrow();
  });
});
