/**
 * A response body that is already serialized JSON. The query runner assembles list responses from cached
 * per-row JSON so that paging through large data sources does not re-serialize unchanged rows.
 */
export class RawJson {
  constructor(readonly text: string) {}

  /** The parsed object (for callers that need to edit the body). */
  parse(): Record<string, unknown> {
    return JSON.parse(this.text) as Record<string, unknown>;
  }
}
