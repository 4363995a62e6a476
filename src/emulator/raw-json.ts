/**
 * A response body that is already serialized JSON. The query runner assembles list responses from cached
 * per-row JSON, and caches whole pages of results, so that paging through large data sources does not
 * re-serialize (or re-encode) unchanged rows.
 */
export class RawJson {
  #bytes: Buffer | undefined;

  constructor(readonly text: string) {}

  /** The UTF-8 bytes (encoded once, then reused). */
  bytes(): Buffer {
    return (this.#bytes ??= Buffer.from(this.text, 'utf8'));
  }

  /** The parsed object (for callers that need to edit the body). */
  parse(): Record<string, unknown> {
    return JSON.parse(this.text) as Record<string, unknown>;
  }
}
