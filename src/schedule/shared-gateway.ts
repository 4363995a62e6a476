import type { Clock } from '../clock.js';
import { gatewayOptionsFromConfig } from '../config/gateway-options.js';
import type { ResolvedConfig } from '../config/load-config.js';
import type { Logger } from '../logger.js';
import { createGateway } from '../notion/create-gateway.js';
import type { GatewayMetricsSnapshot } from '../notion/gateway-metrics.js';
import { GatewayMetrics } from '../notion/gateway-metrics.js';
import type { NotionGateway } from '../notion/gateway.js';

/** The one gateway a scheduler's jobs share (`JobBuildContext.gateway`), and its counters. */
export interface SharedGateway {
  /** The gateway, built from the config and NOTION_TOKEN on the first call (a config without jobs needs no token). */
  readonly get: () => NotionGateway;
  /** Its counters; all zero until the first call of `get`. */
  readonly metrics: () => GatewayMetricsSnapshot;
}

const NO_CALLS = new GatewayMetrics().snapshot();

/**
 * The gateway the daemon and `serve` give their jobs: `gateway` when given, else one built on first use from
 * the config (`gatewayOptionsFromConfig`) with `clock` and `logger`.
 */
export function sharedGateway(
  config: ResolvedConfig,
  options: { clock: Clock; logger: Logger; gateway?: NotionGateway | undefined },
): SharedGateway {
  let gateway = options.gateway;
  return {
    get: () =>
      (gateway ??= createGateway(
        gatewayOptionsFromConfig(config, { clock: options.clock, logger: options.logger }),
      )),
    metrics: () => gateway?.metrics.snapshot() ?? NO_CALLS,
  };
}
