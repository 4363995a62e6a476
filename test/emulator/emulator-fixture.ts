import { Client, LogLevel } from '@notionhq/client';
import { afterEach } from 'vitest';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js';

const running: EmulatorHandle[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

/** Starts an emulator (stopped after the test) and an official SDK client for it, retries off. */
export async function emulatorClient(
  options: EmulatorOptions = {},
  clientOptions: { notionVersion?: string; auth?: string } = {},
): Promise<{ em: EmulatorHandle; notion: Client; root: string }> {
  const em = await startEmulator({ port: 0, ...options });
  running.push(em);
  const notion = new Client({
    auth: clientOptions.auth ?? options.token ?? 'secret_test_token',
    baseUrl: em.url,
    retry: false,
    logLevel: LogLevel.ERROR,
    ...(clientOptions.notionVersion ? { notionVersion: clientOptions.notionVersion } : {}),
  });
  return { em, notion, root: em.rootPageId as string };
}

/** A rich-text request array with one text run. */
export function text(content: string): { text: { content: string } }[] {
  return [{ text: { content } }];
}

/** Raw fetch against the emulator (for headers and bodies the SDK hides). */
export async function raw(
  url: string,
  path: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: 'Bearer secret_test_token',
      'notion-version': '2025-09-03',
      'content-type': 'application/json',
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}
