/**
 * Wraps a Kysely dialect so that every error its driver raises (connecting, querying, BEGIN/COMMIT)
 * passes through SqlDialect.translateError. This is the single choke point that keeps driver errors
 * out of the services: role stores never need their own try/catch for translation.
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
    private readonly begin: ((c: DatabaseConnection) => Promise<void>) | undefined,
  ) {}

  init(): Promise<void> {
    return guard(this.translate, () => this.inner.init());
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const conn = await guard(this.translate, () => this.inner.acquireConnection());
    return new TranslatingConnection(conn, this.translate);
  }
  beginTransaction(c: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const begin = this.begin;
    if (begin !== undefined) return guard(this.translate, () => begin(unwrap(c)));
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
 * The same dialect, with its driver's errors translated. `begin` replaces the driver's BEGIN (see
 * sqlite-connection.ts).
 */
export function withErrorTranslation(
  dialect: Dialect,
  translate: Translate,
  begin?: (c: DatabaseConnection) => Promise<void>,
): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new TranslatingDriver(dialect.createDriver(), translate, begin),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}
