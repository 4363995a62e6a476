import type { GatewayOptions } from '../notion/create-gateway.js';
import type { ResolvedConfig } from './load-config.js';

/**
 * The gateway options a config gives: its token and its `notion` settings (base URL, version, pacing,
 * timeout). `overrides` win (an `--emulator-url`, a clock, a logger).
 */
export function gatewayOptionsFromConfig(
  config: ResolvedConfig,
  overrides: Partial<GatewayOptions> = {},
): GatewayOptions {
  const settings = config.notion ?? {};
  return {
    token: config.token ?? '',
    ...(settings.baseUrl === undefined ? {} : { baseUrl: settings.baseUrl }),
    ...(settings.notionVersion === undefined ? {} : { notionVersion: settings.notionVersion }),
    ...(settings.requestsPerSecond === undefined ? {} : { requestsPerSecond: settings.requestsPerSecond }),
    ...(settings.burst === undefined ? {} : { burst: settings.burst }),
    ...(settings.timeoutMs === undefined ? {} : { requestTimeoutMs: settings.timeoutMs }),
    ...overrides,
  };
}
