/**
 * Every Notion endpoint notion-sync uses, as data (STYLE rule 5). The gateway's retry policy reads
 * `idempotent`, metrics and spans are named by `name`, and the emulator builds its router from the same
 * table, so adding an endpoint means one entry here plus its handler there.
 *
 * `idempotent` is decided per endpoint, not per HTTP method: repeating a PATCH of page properties leaves
 * the same state, while repeating a page create or a children append makes a second copy.
 */
export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

/** How an endpoint paginates: cursor in the query string (GET) or in the JSON body (POST), or not at all. */
export type Pagination = 'query' | 'body' | false;

export interface EndpointDescriptor {
  /** Stable name used in metrics, spans and logs: `pages.update`. */
  readonly name: string;
  readonly method: HttpMethod;
  /** Path relative to `/v1/`, with `{param}` placeholders: `pages/{page_id}`. */
  readonly path: string;
  readonly pathParams: readonly string[];
  /** Safe to repeat when the outcome of an attempt is unknown. */
  readonly idempotent: boolean;
  readonly paginated: Pagination;
  /** Creates a new object each time it succeeds (so a blind repeat can duplicate it). */
  readonly creates: boolean;
}

function endpoint(
  name: string,
  method: HttpMethod,
  path: string,
  opts: { idempotent: boolean; paginated?: Pagination; creates?: boolean },
): EndpointDescriptor {
  const pathParams = [...path.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1] as string);
  return Object.freeze({
    name,
    method,
    path,
    pathParams: Object.freeze(pathParams),
    idempotent: opts.idempotent,
    paginated: opts.paginated ?? false,
    creates: opts.creates ?? false,
  });
}

export const endpoints = {
  usersMe: endpoint('users.me', 'get', 'users/me', { idempotent: true }),
  usersList: endpoint('users.list', 'get', 'users', { idempotent: true, paginated: 'query' }),
  usersRetrieve: endpoint('users.retrieve', 'get', 'users/{user_id}', { idempotent: true }),

  search: endpoint('search', 'post', 'search', { idempotent: true, paginated: 'body' }),

  databasesCreate: endpoint('databases.create', 'post', 'databases', { idempotent: false, creates: true }),
  databasesRetrieve: endpoint('databases.retrieve', 'get', 'databases/{database_id}', { idempotent: true }),
  databasesUpdate: endpoint('databases.update', 'patch', 'databases/{database_id}', { idempotent: true }),
  /** 2022-06-28 only. */
  databasesQuery: endpoint('databases.query', 'post', 'databases/{database_id}/query', {
    idempotent: true,
    paginated: 'body',
  }),

  dataSourcesCreate: endpoint('dataSources.create', 'post', 'data_sources', {
    idempotent: false,
    creates: true,
  }),
  dataSourcesRetrieve: endpoint('dataSources.retrieve', 'get', 'data_sources/{data_source_id}', {
    idempotent: true,
  }),
  dataSourcesUpdate: endpoint('dataSources.update', 'patch', 'data_sources/{data_source_id}', {
    idempotent: true,
  }),
  dataSourcesQuery: endpoint('dataSources.query', 'post', 'data_sources/{data_source_id}/query', {
    idempotent: true,
    paginated: 'body',
  }),

  pagesCreate: endpoint('pages.create', 'post', 'pages', { idempotent: false, creates: true }),
  pagesRetrieve: endpoint('pages.retrieve', 'get', 'pages/{page_id}', { idempotent: true }),
  pagesUpdate: endpoint('pages.update', 'patch', 'pages/{page_id}', { idempotent: true }),
  pagesMove: endpoint('pages.move', 'post', 'pages/{page_id}/move', { idempotent: true }),
  pagesPropertiesRetrieve: endpoint(
    'pages.properties.retrieve',
    'get',
    'pages/{page_id}/properties/{property_id}',
    {
      idempotent: true,
      paginated: 'query',
    },
  ),
  pagesRetrieveMarkdown: endpoint('pages.retrieveMarkdown', 'get', 'pages/{page_id}/markdown', {
    idempotent: true,
  }),
  pagesUpdateMarkdown: endpoint('pages.updateMarkdown', 'patch', 'pages/{page_id}/markdown', {
    idempotent: false,
  }),

  blocksRetrieve: endpoint('blocks.retrieve', 'get', 'blocks/{block_id}', { idempotent: true }),
  blocksUpdate: endpoint('blocks.update', 'patch', 'blocks/{block_id}', { idempotent: true }),
  blocksDelete: endpoint('blocks.delete', 'delete', 'blocks/{block_id}', { idempotent: true }),
  blocksChildrenList: endpoint('blocks.children.list', 'get', 'blocks/{block_id}/children', {
    idempotent: true,
    paginated: 'query',
  }),
  blocksChildrenAppend: endpoint('blocks.children.append', 'patch', 'blocks/{block_id}/children', {
    idempotent: false,
    creates: true,
  }),
} as const satisfies Record<string, EndpointDescriptor>;

export type EndpointKey = keyof typeof endpoints;

/** Finds the endpoint for a method and a path relative to `/v1/` (`pages/abc`), or `undefined`. */
export function matchEndpoint(
  method: string,
  relativePath: string,
): { endpoint: EndpointDescriptor; params: Record<string, string> } | undefined {
  const m = method.toLowerCase();
  const segments = relativePath.replace(/^\/+|\/+$/g, '').split('/');
  let best: { endpoint: EndpointDescriptor; params: Record<string, string>; literal: number } | undefined;
  for (const ep of Object.values(endpoints) as EndpointDescriptor[]) {
    if (ep.method !== m) continue;
    const parts = ep.path.split('/');
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literal = 0;
    let ok = true;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      const seg = segments[i] as string;
      const param = /^\{([a-z_]+)\}$/.exec(part);
      if (param) params[param[1] as string] = decodeURIComponent(seg);
      else if (part === seg) literal++;
      else {
        ok = false;
        break;
      }
    }
    // Prefer the most literal match: `users/me` over `users/{user_id}`.
    if (ok && (!best || literal > best.literal)) best = { endpoint: ep, params, literal };
  }
  return best && { endpoint: best.endpoint, params: best.params };
}
