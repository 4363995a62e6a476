import type { KeyMapRepository } from './key-map-repository.js';
import type { LeasesRepository } from './leases-repository.js';
import type { PendingWritesRepository } from './pending-writes-repository.js';
import type { ReplicaRepository } from './replica-repository.js';
import type { ReplicaViewRepository } from './replica-view-repository.js';
import type { RunsRepository } from './runs-repository.js';
import type { StoreDialect } from './store-dialect.js';
import type { SyncStateRepository } from './sync-state-repository.js';

/**
 * notion-sync's one database: the repositories over SQLite or PostgreSQL, and transactions. Open it with
 * `openStore(url)`.
 *
 * Open one `Store` per SQLite file per process: better-sqlite3 is synchronous, so a second instance in the
 * same process waiting for the first one's write lock would block the event loop the first one needs to
 * commit (it fails after the busy timeout). Separate processes share a file safely.
 *
 * ### Examples
 * ```ts
 * import { openStore } from 'notion-sync';
 * const store = await openStore('sqlite:./notion-sync.db');
 * await store.transaction(async (tx) => {
 *   await tx.keyMap.upsert({ target, key, pageId, contentHash, bodyHash: null, upstreamUpdatedAt: null,
 *     lastCycleSeen: 3, deleted: false, lastWrittenAt: null });
 *   await tx.syncState.save(syncKey, { state: cursor });
 * }); // both commit, or neither
 * await store.close();
 * ```
 */
export interface Store {
  /** The dialect the store runs on (its capability flags). */
  readonly dialect: StoreDialect;
  /** `runs` and `run_events`. */
  readonly runs: RunsRepository;
  /** `sync_state`. */
  readonly syncState: SyncStateRepository;
  /** `leases`. */
  readonly leases: LeasesRepository;
  /** `key_map`. */
  readonly keyMap: KeyMapRepository;
  /** `pending_writes`. */
  readonly pendingWrites: PendingWritesRepository;
  /** `data_sources`, `pages`, `page_versions` and search. */
  readonly replica: ReplicaRepository;
  /** The typed views of the replica. */
  readonly replicaViews: ReplicaViewRepository;
  /** True for the `Store` handed to a `transaction` callback. */
  readonly isTransaction: boolean;
  /**
   * Runs `fn` in one database transaction: everything it does through `tx` commits together when it
   * resolves, and is rolled back when it throws (the error is rethrown). Called on a transaction's `tx`,
   * it reuses that transaction (no savepoint). On SQLite the transaction takes the write lock at once
   * (`BEGIN IMMEDIATE`); use only `tx` inside `fn`, not the outer store, which waits for the transaction.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** Closes the connection(s). Calling it on a transaction's `tx` does nothing. */
  close(): Promise<void>;
}
