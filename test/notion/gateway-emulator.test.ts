/**
 * The gateway contract against the emulator (src/emulator/, built in parallel): skipped until it exists
 * in this tree.
 */
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import { describeGatewayContract } from './gateway.contract.js';

interface EmulatorHandle {
  readonly url: string;
  readonly rootPageId: string | undefined;
  stop(): Promise<void>;
}
type StartEmulator = (options: { port: number; token?: string }) => Promise<EmulatorHandle>;

const emulatorEntry = new URL('../../src/emulator/index.ts', import.meta.url);

if (existsSync(emulatorEntry)) {
  describeGatewayContract('emulator', async () => {
    const token = 'ntn_emulatorcontracttoken00000000000000';
    const specifier = '../../src/emulator/index.js';
    const { startEmulator } = (await import(specifier)) as { startEmulator: StartEmulator };
    const emulator = await startEmulator({ port: 0, token });
    if (emulator.rootPageId === undefined) throw new Error('the emulator seeded no root page');
    return { token, baseUrl: emulator.url, parentPageId: emulator.rootPageId, stop: () => emulator.stop() };
  });
} else {
  describe('gateway contract: emulator', () => {
    it.skip('src/emulator/ is not in this tree yet', () => {});
  });
}
