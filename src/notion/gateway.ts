/**
 * The one seam between notion-sync and the Notion API (DESIGN invariant 1). Everything notion-sync sends
 * to Notion goes through a `NotionGateway`, built by `createGateway`.
 */
import type { Client } from '@notionhq/client';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { GatewayPage, PaginatedResponse, PaginateOptions, PaginationArgs } from './paginate.js';
import type { Pacer } from './pacer.js';
import type { PropertyItemsPage } from './paginate-property-items.js';
import type { GetPagePropertyParameters } from '@notionhq/client';
import type { QueryAllArgs, QueryAllOptions, QueryAllPage } from './query-data-source-all.js';

export interface NotionGateway {
  /**
   * The official SDK client, fully typed (`gateway.client.pages.update(...)`). Its every attempt is paced,
   * guarded by the circuit breaker, timed out, retried by the gateway's policy, measured and traced. The
   * SDK's own retry is off. Beyond Notion's `APIResponseError`, a call can reject with:
   * `OutcomeUnknownError` (a create whose outcome is unknown: reconcile before repeating),
   * `CircuitOpenError` (failing fast) and `RetriesExhaustedError` (no answer after every attempt).
   */
  readonly client: Client;
  /** Counters of calls, attempts, retries, throttles, errors, bytes and latency. */
  readonly metrics: GatewayMetrics;
  /** The pacer shared by every gateway on this token (unless one was passed in). */
  readonly pacer: Pacer;
  /** This gateway's circuit breaker. */
  readonly breaker: CircuitBreaker;
  /** The Notion-Version sent with every request. */
  readonly notionVersion: string;
  /**
   * Pages of any list endpoint, from `args.start_cursor` on: `gateway.paginate(gateway.client.search, {})`.
   * Throws `QueryCapError` on a capped data source query page unless `allowIncomplete`.
   */
  paginate<Args extends PaginationArgs, Item>(
    listFn: (args: Args) => Promise<PaginatedResponse<Item>>,
    args: NoInfer<Args>,
    options?: PaginateOptions,
  ): AsyncGenerator<GatewayPage<Item>, void, undefined>;
  /**
   * Pages of one page property's items (`pages.properties.retrieve`): past the 25 relations, people or
   * mentions a page object carries. Single-value properties come out as one page of one item.
   */
  propertyItems(args: GetPagePropertyParameters): AsyncGenerator<PropertyItemsPage, void, undefined>;
  /**
   * Every row of a data source, page by page, past the 10,000-row query cap, each page with a checkpoint
   * to resume from. See `queryDataSourceAll`.
   */
  queryDataSourceAll(
    args: QueryAllArgs,
    options?: QueryAllOptions,
  ): AsyncGenerator<QueryAllPage, void, undefined>;
}
