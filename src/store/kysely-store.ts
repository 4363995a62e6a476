import type { Kysely } from 'kysely';
import { KeyMapRepository } from './key-map-repository.js';
import { LeasesRepository } from './leases-repository.js';
import { PendingWritesRepository } from './pending-writes-repository.js';
import { ReplicaRepository } from './replica-repository.js';
import { ReplicaViewRepository } from './replica-view-repository.js';
import type { RepositoryOptions } from './repository-options.js';
import { RunsRepository } from './runs-repository.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';
import type { StoreDialect } from './store-dialect.js';
import { SyncStateRepository } from './sync-state-repository.js';

/** The `Store` over a Kysely instance or transaction. Built by `openStore`. */
export class KyselyStore implements Store {
  readonly #db: Kysely<Database>;
  readonly #options: RepositoryOptions;
  readonly dialect: StoreDialect;
  readonly runs: RunsRepository;
  readonly syncState: SyncStateRepository;
  readonly leases: LeasesRepository;
  readonly keyMap: KeyMapRepository;
  readonly pendingWrites: PendingWritesRepository;
  readonly replica: ReplicaRepository;
  readonly replicaViews: ReplicaViewRepository;

  constructor(db: Kysely<Database>, options: RepositoryOptions) {
    this.#db = db;
    this.#options = Object.freeze({ ...options });
    this.dialect = options.dialect;
    this.runs = new RunsRepository(db, this.#options);
    this.syncState = new SyncStateRepository(db, this.#options);
    this.leases = new LeasesRepository(db, this.#options);
    this.keyMap = new KeyMapRepository(db, this.#options);
    this.pendingWrites = new PendingWritesRepository(db, this.#options);
    this.replica = new ReplicaRepository(db, this.#options);
    this.replicaViews = new ReplicaViewRepository(db, this.#options);
  }

  get isTransaction(): boolean {
    return this.#db.isTransaction;
  }

  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.#db.isTransaction) return fn(this);
    return this.#db.transaction().execute((tx) => fn(new KyselyStore(tx, this.#options)));
  }

  async close(): Promise<void> {
    if (!this.#db.isTransaction) await this.#db.destroy();
  }
}
