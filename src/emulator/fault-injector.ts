import { endpoints } from '../notion/endpoints.js';
import type { ActiveFault, FaultRule } from './emulator-options.js';
import { NotionApiError, shouldBe } from './notion-error.js';

/** Default code and message per status, as Notion sends them (notion-api-facts.md §5). */
const DEFAULT_ERRORS: Record<number, [string, string]> = {
  400: ['validation_error', 'body failed validation.'],
  401: ['unauthorized', 'API token is invalid.'],
  403: ['restricted_resource', 'API token does not have access to this resource.'],
  404: [
    'object_not_found',
    'Could not find object. Make sure the relevant pages and databases are shared with your integration.',
  ],
  409: ['conflict_error', 'Conflict occurred while saving. Please try again.'],
  429: ['rate_limited', 'You have been rate limited. Please try again in a few minutes.'],
  500: ['internal_server_error', 'Unexpected error occurred.'],
  502: ['bad_gateway', 'Bad gateway.'],
  503: ['service_unavailable', 'Notion is unavailable, please try again later.'],
  504: ['gateway_timeout', 'Gateway timeout.'],
  529: ['service_overload', 'Notion is overloaded, please try again later.'],
};

/** mulberry32: a tiny seeded PRNG, so probabilistic faults repeat exactly for a given seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Entry {
  rule: ActiveFault;
  random: () => number;
}

/** Holds fault rules and decides, per call, which one fires (first matching rule wins). */
export class FaultInjector {
  readonly #entries: Entry[] = [];
  #next = 1;
  /** Faults fired so far. */
  fired = 0;

  /** Adds a rule; returns its id. */
  add(rule: FaultRule): string {
    validateRule(rule);
    const id = `fault-${this.#next++}`;
    this.#entries.push({ rule: { ...rule, id, fired: 0 }, random: prng(rule.seed ?? 1) });
    return id;
  }

  remove(id: string): boolean {
    const i = this.#entries.findIndex((e) => e.rule.id === id);
    if (i >= 0) this.#entries.splice(i, 1);
    return i >= 0;
  }

  clear(): void {
    this.#entries.length = 0;
  }

  list(): ActiveFault[] {
    return this.#entries.map((e) => ({ ...e.rule }));
  }

  /** The rule that fires for this call, if any (consumes one of its `times`). */
  pick(route: string, method: string): ActiveFault | undefined {
    for (let i = 0; i < this.#entries.length; i++) {
      const e = this.#entries[i] as Entry;
      const r = e.rule;
      if (r.route !== undefined && r.route !== '*' && r.route !== route) continue;
      if (r.method !== undefined && r.method !== method) continue;
      if (r.probability !== undefined && e.random() >= r.probability) continue;
      r.fired++;
      this.fired++;
      if (r.times !== undefined && r.fired >= r.times) this.#entries.splice(i, 1);
      return r;
    }
    return undefined;
  }
}

const ROUTES: ReadonlySet<string> = new Set(Object.values(endpoints).map((e) => e.name));

function validateRule(rule: FaultRule): void {
  if (rule.route !== undefined && rule.route !== '*' && !ROUTES.has(rule.route)) {
    throw shouldBe('body.route', `\`*\` or an endpoint name (${[...ROUTES].join(', ')})`, rule.route);
  }
  const kinds = ['error', 'delay', 'drop', 'commitThenDrop'];
  if (!kinds.includes(rule.kind))
    throw shouldBe('body.kind', kinds.map((k) => `\`${k}\``).join(', '), rule.kind);
  if (rule.kind === 'error' && (!Number.isInteger(rule.status) || rule.status < 400 || rule.status > 599))
    throw shouldBe('body.status', 'an HTTP error status', rule.status);
  if (rule.kind === 'delay' && !(typeof rule.ms === 'number' && rule.ms >= 0))
    throw shouldBe('body.ms', 'a non-negative number', rule.ms);
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1))
    throw shouldBe('body.probability', 'a number between 0 and 1', rule.probability);
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times > 0))
    throw shouldBe('body.times', 'a positive integer', rule.times);
}

/** The error an `error` fault answers with. */
export function faultError(rule: Extract<FaultRule, { kind: 'error' }>): NotionApiError {
  const [code, message] = DEFAULT_ERRORS[rule.status] ?? [
    'internal_server_error',
    'Unexpected error occurred.',
  ];
  const headers: Record<string, string> = {};
  if (rule.retryAfterSeconds !== undefined)
    headers['retry-after'] = String(Math.max(0, Math.round(rule.retryAfterSeconds)));
  const additional = rule.status === 429 ? { rate_limit_reason: 'public_api_request_rate_limit' } : undefined;
  return new NotionApiError(rule.status, rule.code ?? code, rule.message ?? message, additional, headers);
}
