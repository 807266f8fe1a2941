/**
 * Wraps a Kysely dialect so that every error its driver raises (connecting, querying, BEGIN/COMMIT)
 * passes through SqlDialect.translateError. This is the single choke point that keeps driver errors
 * out of the services: role stores never need their own try/catch for translation.
 */
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

type Translate = (err: unknown) => unknown;

async function guard<T>(translate: Translate, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw translate(err);
  }
}

class TranslatingConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly translate: Translate,
  ) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return guard(this.translate, () => this.inner.executeQuery<R>(query));
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

class TranslatingDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly translate: Translate,
    private readonly beginSql: string | undefined,
  ) {}

  init(): Promise<void> {
    return guard(this.translate, () => this.inner.init());
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const conn = await guard(this.translate, () => this.inner.acquireConnection());
    return new TranslatingConnection(conn, this.translate);
  }
  beginTransaction(c: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const begin = this.beginSql;
    if (begin !== undefined) {
      return guard(this.translate, async () => {
        await unwrap(c).executeQuery(CompiledQuery.raw(begin));
      });
    }
    return guard(this.translate, () => this.inner.beginTransaction(unwrap(c), settings));
  }
  commitTransaction(c: DatabaseConnection): Promise<void> {
    return guard(this.translate, () => this.inner.commitTransaction(unwrap(c)));
  }
  rollbackTransaction(c: DatabaseConnection): Promise<void> {
    return guard(this.translate, () => this.inner.rollbackTransaction(unwrap(c)));
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
  releaseConnection(c: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(unwrap(c));
  }
  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/**
 * The same dialect, with its driver's errors translated. `beginSql` replaces the driver's BEGIN:
 * SQLite uses `begin immediate`, so a transaction takes the write lock up front (waiting out
 * busy_timeout) instead of failing with SQLITE_BUSY when it first writes after another process or
 * connection committed since its first read (a deferred transaction cannot upgrade a stale snapshot).
 */
export function withErrorTranslation(dialect: Dialect, translate: Translate, beginSql?: string): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new TranslatingDriver(dialect.createDriver(), translate, beginSql),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}
