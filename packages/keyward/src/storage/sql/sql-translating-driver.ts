/**
 * Wraps a Kysely dialect so that every error its driver raises (connecting, querying, BEGIN/COMMIT)
 * passes through SqlDialect.translateError. This is the single choke point that keeps driver errors
 * out of the services: role stores never need their own try/catch for translation.
 *
 * It is also where a write becomes durable when the driver leaves that to us (SQLite, see
 * sqlite-wal-sync.ts): a connection that committed a transaction, or ran a write outside one, calls
 * `afterWrite` when it is released, so the caller's await ends only once the write is on disk while
 * the connection is already free for the next transaction.
 */
import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';

type Translate = (err: unknown) => unknown;

async function guard<T>(translate: Translate, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw translate(err);
  }
}

/** Query kinds that never write. Anything else run outside a transaction is made durable. */
const READ_KINDS = new Set(['SelectQueryNode']);
const READ_TEXT = /^\s*(select|pragma|explain)\b/i;
const isRead = (query: CompiledQuery): boolean =>
  READ_KINDS.has(query.query.kind) || (query.query.kind === 'RawNode' && READ_TEXT.test(query.sql));

class TranslatingConnection implements DatabaseConnection {
  /** Inside BEGIN … COMMIT/ROLLBACK: writes are made durable at COMMIT, not one by one. */
  inTransaction = false;
  /** Something was committed since this connection was acquired. */
  wrote = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly translate: Translate,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await guard(this.translate, () => this.inner.executeQuery<R>(query));
    if (!this.inTransaction && !isRead(query)) this.wrote = true;
    return result;
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize);
    } catch (err) {
      throw this.translate(err);
    }
  }
}

const unwrap = (c: DatabaseConnection): DatabaseConnection =>
  c instanceof TranslatingConnection ? c.inner : c;
const wrapper = (c: DatabaseConnection): TranslatingConnection | undefined =>
  c instanceof TranslatingConnection ? c : undefined;

export interface DriverHooks {
  /** Replaces the driver's BEGIN (see sqlite-connection.ts). */
  begin?: (c: DatabaseConnection) => Promise<void>;
  /** Makes committed writes durable; awaited after the connection is released. */
  afterWrite?: () => Promise<void>;
  /** Runs after the driver is destroyed. */
  destroyed?: () => Promise<void>;
}

class TranslatingDriver implements Driver {
  private readonly begin: DriverHooks['begin'];
  constructor(
    private readonly inner: Driver,
    private readonly translate: Translate,
    private readonly hooks: DriverHooks,
  ) {
    this.begin = hooks.begin;
  }

  init(): Promise<void> {
    return guard(this.translate, () => this.inner.init());
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const conn = await guard(this.translate, () => this.inner.acquireConnection());
    return new TranslatingConnection(conn, this.translate);
  }
  async beginTransaction(c: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const begin = this.begin;
    if (begin !== undefined) await guard(this.translate, () => begin(unwrap(c)));
    else await guard(this.translate, () => this.inner.beginTransaction(unwrap(c), settings));
    const w = wrapper(c);
    if (w) w.inTransaction = true;
  }
  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await guard(this.translate, () => this.inner.commitTransaction(unwrap(c)));
    const w = wrapper(c);
    if (w) {
      w.inTransaction = false;
      w.wrote = true;
    }
  }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    const w = wrapper(c);
    if (w) w.inTransaction = false;
    await guard(this.translate, () => this.inner.rollbackTransaction(unwrap(c)));
  }
  savepoint(c: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return guard(this.translate, async () => this.inner.savepoint?.(unwrap(c), name, compile));
  }
  rollbackToSavepoint(
    c: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return guard(this.translate, async () => this.inner.rollbackToSavepoint?.(unwrap(c), name, compile));
  }
  releaseSavepoint(
    c: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return guard(this.translate, async () => this.inner.releaseSavepoint?.(unwrap(c), name, compile));
  }
  async releaseConnection(c: DatabaseConnection): Promise<void> {
    await this.inner.releaseConnection(unwrap(c));
    const w = wrapper(c);
    const afterWrite = this.hooks.afterWrite;
    if (w?.wrote && afterWrite) {
      w.wrote = false;
      await guard(this.translate, afterWrite);
    }
  }
  async destroy(): Promise<void> {
    await this.inner.destroy();
    await this.hooks.destroyed?.();
  }
}

/** The same dialect, with its driver's errors translated and the `hooks` applied. */
export function withErrorTranslation(
  dialect: Dialect,
  translate: Translate,
  hooks: DriverHooks = {},
): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new TranslatingDriver(dialect.createDriver(), translate, hooks),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}
