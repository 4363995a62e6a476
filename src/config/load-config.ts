import { readFile, access } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { InvalidConfigError, registerSecret } from '../errors.js';
import { configSchema, type ParsedConfig } from './config-schema.js';
import { importModule } from './import-module.js';

/** Names looked up, in order, in the working directory when no `--config` is given. */
export const CONFIG_FILE_NAMES = [
  'notion-sync.config.ts',
  'notion-sync.config.mts',
  'notion-sync.config.mjs',
  'notion-sync.config.js',
  'notion-sync.config.json',
] as const;

/** The default SQLite file, relative to the working directory. */
export const DEFAULT_STORE_FILE = 'notion-sync.db';
export const DEFAULT_CONSISTENCY_BUFFER_MS = 15_000;

/** A validated config with defaults applied and secrets taken from the environment. */
export interface ResolvedConfig extends Omit<ParsedConfig, 'store' | 'mirrors' | 'workers'> {
  /** The file the config came from, if any. */
  readonly configPath: string | undefined;
  /** Relative paths in the config are resolved against this directory. */
  readonly baseDir: string;
  /** `sqlite:<absolute path>` or a `postgres://` URL. */
  readonly store: string;
  /** NOTION_TOKEN, when set. Never printed (it is registered as a secret). */
  readonly token: string | undefined;
  /** True when no token is set: commands use the built-in emulator. */
  readonly useEmulator: boolean;
  readonly mirrors: NonNullable<ParsedConfig['mirrors']>;
  readonly workers: NonNullable<ParsedConfig['workers']>;
  readonly consistencyBufferMs: number;
}

export interface LoadConfigOptions {
  /** @default process.cwd() */
  cwd?: string;
  /** An explicit config file; when missing, the names in CONFIG_FILE_NAMES are tried. */
  configPath?: string;
  /** @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

const TOKEN_VALUE = /^(secret_|ntn_)[A-Za-z0-9]{10,}/;
const SECRET_KEY = /(token|secret|password|api[_-]?key|authorization)/i;

/**
 * Loads, validates and resolves the config. A wrong field throws `InvalidConfigError` whose `issues` name
 * each path and what was expected; a config that contains a token is refused (secrets come only from the
 * environment).
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const configPath = options.configPath ? path.resolve(cwd, options.configPath) : await findConfigFile(cwd);
  const raw = configPath ? await readConfigFile(configPath) : {};
  return resolveConfig(raw, { configPath, cwd, env });
}

/** Validates an already-loaded config object and applies defaults (exported for tests and programs). */
export function resolveConfig(
  raw: unknown,
  context: {
    configPath?: string | undefined;
    cwd: string;
    env: Readonly<Record<string, string | undefined>>;
  },
): ResolvedConfig {
  const where = context.configPath ? path.basename(context.configPath) : 'config';
  const secrets = findSecrets(raw, '');
  if (secrets.length > 0) {
    throw new InvalidConfigError(
      `${where} contains a secret at ${secrets.join(', ')}: secrets are never read from config files.`,
      secrets.map((p) => ({ path: p, message: 'secrets are not allowed in the config file' })),
      { hint: 'Remove it from the file and set NOTION_TOKEN in the environment instead.' },
    );
  }
  const parsed = configSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown field' }))
        : [{ path: formatPath(issue.path), message: describeIssue(issue) }],
    );
    throw new InvalidConfigError(
      `${where} is invalid:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`,
      issues,
      { hint: 'Fix the fields listed above; `notion-sync --help` lists what each command reads.' },
    );
  }
  const config = parsed.data;
  const baseDir = context.configPath ? path.dirname(context.configPath) : context.cwd;
  const token = context.env.NOTION_TOKEN?.trim() || undefined;
  registerSecret(token);
  return {
    ...config,
    configPath: context.configPath,
    baseDir,
    store: normalizeStoreUrl(context.env.NOTION_SYNC_STORE ?? config.store, baseDir),
    token,
    useEmulator: token === undefined,
    mirrors: config.mirrors ?? [],
    workers: (config.workers ?? []).map((w) => ({ ...w, module: path.resolve(baseDir, w.module) })),
    consistencyBufferMs: config.consistencyBufferMs ?? DEFAULT_CONSISTENCY_BUFFER_MS,
  };
}

/** `sqlite:<absolute path>`, `sqlite::memory:` or the postgres URL unchanged. */
export function normalizeStoreUrl(store: string | undefined, baseDir: string): string {
  if (!store) return `sqlite:${path.resolve(baseDir, DEFAULT_STORE_FILE)}`;
  if (/^postgres(ql)?:\/\//i.test(store)) return store;
  const file = store.replace(/^sqlite:/i, '');
  if (file === ':memory:') return 'sqlite::memory:';
  return `sqlite:${path.resolve(baseDir, file)}`;
}

async function findConfigFile(cwd: string): Promise<string | undefined> {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = path.join(cwd, name);
    try {
      await access(candidate);
      return candidate;
    } catch {
      // not there: try the next name
    }
  }
  return undefined;
}

async function readConfigFile(file: string): Promise<unknown> {
  try {
    if (file.endsWith('.json')) return JSON.parse(await readFile(file, 'utf8')) as unknown;
    return defaultExport(await importModule(file));
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new InvalidConfigError(`${path.basename(file)} is not valid JSON: ${error.message}`, [], {
        hint: 'Fix the syntax error; a JSON config may not contain comments or trailing commas.',
      });
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InvalidConfigError(`config file ${file} does not exist`, [], {
        hint: 'Check the --config path, or run without it to use the defaults.',
      });
    }
    throw new InvalidConfigError(`could not load ${path.basename(file)}: ${(error as Error).message}`, [], {
      cause: error,
    });
  }
}

/**
 * The default export of a loaded module. A `.ts` file outside an ESM package is compiled as CommonJS, and
 * its namespace then nests the export one level deeper (`{ default: { default: config } }`).
 */
export function defaultExport(mod: Record<string, unknown>): unknown {
  let value: unknown = mod.default ?? mod.config;
  while (value && typeof value === 'object' && 'default' in value && isModuleWrapper(value)) {
    value = (value as { default: unknown }).default;
  }
  return value;
}

function isModuleWrapper(value: object): boolean {
  return Object.keys(value).every((k) => k === 'default' || k === '__esModule' || k === 'module.exports');
}

function findSecrets(value: unknown, at: string): string[] {
  if (typeof value === 'string') return TOKEN_VALUE.test(value.trim()) ? [at || '(root)'] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => findSecrets(v, `${at}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      const p = at ? `${at}.${k}` : k;
      if (SECRET_KEY.test(k) && typeof v === 'string' && v.length > 0) return [p];
      return findSecrets(v, p);
    });
  }
  return [];
}

function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out ? `.${String(s)}` : String(s);
  }
  return out || '(root)';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const received = (issue as { input?: unknown }).input;
    return `expected ${issue.expected}, got ${received === undefined ? 'nothing' : typeof received}`;
  }
  return issue.message;
}
