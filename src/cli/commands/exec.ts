import { InvalidConfigError } from '../../errors.js';
import { loadConfig } from '../../config/load-config.js';
import { resolveSyncModule } from '../../push/push-environment.js';
import { executeStep, type StepResult } from '../../workers/sync-driver.js';

/** Options of `notion-sync exec`. */
export interface ExecOptions {
  readonly syncKey: string;
  /** The state to hand to `execute`, as JSON. @default none (the first step of a sync) */
  readonly state?: string;
  /** The worker module; @default the configured module that declares the sync */
  readonly worker?: string;
  /** Print one JSON object instead of prose. */
  readonly json?: boolean;
  /** Config file. @default notion-sync.config.* in `cwd` */
  readonly config?: string;
  /** @default process.cwd() */
  readonly cwd?: string;
  /** Environment (NOTION_TOKEN, NOTION_SYNC_STORE). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where lines go. @default console.log */
  readonly out?: (line: string) => void;
}

function parseState(state: string | undefined): unknown {
  if (state === undefined) return undefined;
  try {
    return JSON.parse(state) as unknown;
  } catch (e) {
    throw new InvalidConfigError(`--state is not valid JSON: ${(e as Error).message}`, [], {
      hint: `Quote it for the shell, e.g. --state '{"cursor":"abc"}'.`,
    });
  }
}

/**
 * `notion-sync exec <sync>`: runs one `execute` of a sync and prints its changes, `hasMore` and next state.
 * Writes nothing (neither Notion nor the store). Returns the step.
 */
export async function exec(options: ExecOptions): Promise<StepResult> {
  const out = options.out ?? ((line: string) => console.log(line));
  const state = parseState(options.state);
  const config = await loadConfig({
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.config !== undefined ? { configPath: options.config } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
  });
  const { module } = await resolveSyncModule(config, options.syncKey, {
    ...(options.worker !== undefined ? { workerPath: options.worker } : {}),
  });
  const step = await executeStep(module.worker, options.syncKey, { state, description: module.description });
  if (options.json) {
    out(
      JSON.stringify({
        changes: step.changes,
        hasMore: step.hasMore,
        nextState: step.nextState ?? null,
        logs: step.logs,
      }),
    );
    return step;
  }
  for (const log of step.logs) out(`[worker ${log.level}] ${log.message}`);
  out(`${step.changes.length} change(s):`);
  for (const change of step.changes) {
    if (change.kind === 'delete') out(`  delete ${change.targetDatabaseKey}/${change.key}`);
    else
      out(
        `  upsert ${change.targetDatabaseKey}/${change.key} ${JSON.stringify(change.properties)}` +
          (change.pageContentMarkdown !== undefined
            ? ` (+ body, ${change.pageContentMarkdown.length} chars)`
            : ''),
      );
  }
  out(`hasMore: ${step.hasMore}`);
  out(`nextState: ${step.nextState === undefined ? '(none)' : JSON.stringify(step.nextState)}`);
  if (step.hasMore && step.nextState !== undefined)
    out(`next: notion-sync exec ${options.syncKey} --state '${JSON.stringify(step.nextState)}'`);
  return step;
}
