/**
 * Notion's request limits, in one place (notion-api-facts.md §7). Every splitter, validator and the
 * emulator read these constants; nothing else hard-codes them.
 */

/** Characters in one rich-text item's `text.content`, and in any URL. */
export const MAX_TEXT_ITEM_CHARS = 2_000;
/** Characters in a link URL inside rich text. */
export const MAX_URL_CHARS = 2_000;
/** Characters in an equation expression. */
export const MAX_EQUATION_CHARS = 1_000;
/** Elements in any array of rich-text items or blocks in one request. */
export const MAX_ARRAY_ITEMS = 100;
/** Blocks in the top-level `children` of one append or page create. */
export const MAX_BLOCKS_PER_APPEND = 100;
/** Block elements in one whole request. */
export const MAX_BLOCKS_PER_REQUEST = 1_000;
/** Levels of nesting below the top-level children of one append (level 1 → 2 → 3). */
export const MAX_APPEND_NESTING_LEVELS = 2;
/** Items in one relation, people or multi_select value. */
export const MAX_RELATION_ITEMS = 100;
export const MAX_PEOPLE_ITEMS = 100;
export const MAX_MULTI_SELECT_ITEMS = 100;
/** Characters of an email or phone number. */
export const MAX_EMAIL_CHARS = 200;
export const MAX_PHONE_CHARS = 200;
/** Bytes of one JSON request body. */
export const MAX_PAYLOAD_BYTES = 500_000;
/** Results per page of any list or query endpoint (also the default). */
export const MAX_PAGE_SIZE = 100;
/** Results one query (one filter + sort) returns before `request_status` turns `incomplete`. */
export const QUERY_RESULT_CAP = 10_000;
/** References a page object carries for relation, people and mentions before truncating. */
export const PAGE_OBJECT_REFERENCE_LIMIT = 25;

/** Average requests per second per integration token (Notion's published rate limit). */
export const DEFAULT_REQUESTS_PER_SECOND = 3;
/** Notion-Version sent by default. */
export const DEFAULT_NOTION_VERSION = '2025-09-03';
/** Notion-Versions the emulator and gateway understand. */
export const SUPPORTED_NOTION_VERSIONS = ['2022-06-28', '2025-09-03', '2026-03-11'] as const;
export type NotionVersion = (typeof SUPPORTED_NOTION_VERSIONS)[number];
