import { z } from 'zod';
import { parseSchedule } from '../schedule/parse-schedule.js';

const scheduleString = z.string().superRefine((value, ctx) => {
  const parsed = parseSchedule(value);
  if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
});

const storeUrl = z
  .string()
  .min(1)
  .refine((s) => !/^(mysql|mariadb|mssql):/i.test(s), {
    message: 'only SQLite (a file path or sqlite:<path>) and PostgreSQL (postgres://…) are supported',
  });

/** Settings of the connection to Notion (the token is not here: it comes from NOTION_TOKEN). */
export const notionSettingsSchema = z
  .object({
    /** Base URL of the Notion API. @default 'https://api.notion.com' (or the built-in emulator) */
    baseUrl: z.url().optional(),
    /** Notion-Version header. @default '2025-09-03' */
    notionVersion: z.enum(['2022-06-28', '2025-09-03', '2026-03-11']).optional(),
    /** Average requests per second for this token, shared by every sync. @default 3 */
    requestsPerSecond: z.number().positive().max(1_000).optional(),
    /** Requests that may be sent at once after a quiet period. @default 3 */
    burst: z.number().int().positive().max(1_000).optional(),
    /** Per-attempt timeout in milliseconds. @default 60000 */
    timeoutMs: z.number().int().positive().optional(),
  })
  .strict();

/** One Notion database (or data source) to mirror into the replica. */
export const mirrorConfigSchema = z
  .object({
    /** A name for the mirror (used by `runs` and the status page). @default the database title */
    name: z.string().min(1).optional(),
    /** A database ID, a data source ID, or a notion.so / notion.site URL. */
    source: z.string().min(1),
    /** Also mirror page bodies as markdown. @default true */
    bodies: z.boolean().optional(),
    /** When the daemon runs it. @default '15m' */
    schedule: scheduleString.optional(),
  })
  .strict();

/** A `@notionhq/workers` module whose syncs notion-sync runs. */
export const workerConfigSchema = z
  .object({
    /** Path of the module (`.ts`, `.js`, `.mjs`), relative to the config file. */
    module: z.string().min(1),
    /** Page under which `managed` databases are created (ID or URL). */
    parentPage: z.string().min(1).optional(),
    /** Per-sync overrides, by sync key. */
    syncs: z
      .record(
        z.string(),
        z
          .object({
            schedule: scheduleString.optional(),
            disabled: z.boolean().optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

/** The whole configuration file. */
export const configSchema = z
  .object({
    $schema: z.string().optional(),
    /** Where the store lives: a SQLite path (`sqlite:./notion-sync.db`) or a `postgres://` URL. */
    store: storeUrl.optional(),
    notion: notionSettingsSchema.optional(),
    mirrors: z.array(mirrorConfigSchema).optional(),
    workers: z.array(workerConfigSchema).optional(),
    /** Keep delta cursors this far behind now, in milliseconds. @default 15000 */
    consistencyBufferMs: z.number().int().min(0).max(3_600_000).optional(),
    /**
     * How old the data sources and schemas a mirror recorded may be before a delta reads them again from
     * Notion, in milliseconds (0: on every run). A delta also re-reads them when a row disagrees with them.
     * @default 3600000 (one hour)
     */
    rediscoverAfterMs: z.number().int().min(0).max(604_800_000).optional(),
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).optional(),
    server: z
      .object({
        port: z.number().int().min(0).max(65_535).optional(),
        host: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** What a config file may contain. */
export type NotionSyncConfig = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
