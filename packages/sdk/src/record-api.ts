/**
 * RecordApi: the list/listAll/create/get/update shape shared by identities, humans, systems and
 * resources. Filters become query parameters as-is (booleans as `true`/`false`).
 */
import type { HttpTransport, Query } from './http-transport.js';
import { seg } from './http-transport.js';
import { paginate } from './pagination.js';
import type { Page, PageRequest } from './types.js';

/** Filters are flat objects of scalars; interfaces lack an index signature, hence the cast. */
export const toQuery = (value: object | undefined): Query => ({ ...(value as Query) });

export class RecordApi<T, TInput, TPatch extends { version: number }, TFilter extends object> {
  constructor(
    protected readonly http: HttpTransport,
    /** Collection path, e.g. `/v1/identities`. */
    protected readonly basePath: string,
  ) {}

  /** One page; pass `nextCursor` back as `cursor` for the next. */
  list(filter: TFilter & PageRequest = {} as TFilter & PageRequest): Promise<Page<T>> {
    return this.http.request<Page<T>>(this.basePath, { query: toQuery(filter) });
  }

  /** Every matching record, following cursors lazily. */
  listAll(
    filter: TFilter & { limit?: number | undefined } = {} as TFilter,
  ): AsyncGenerator<T, void, undefined> {
    return paginate((cursor) => this.list({ ...filter, cursor }));
  }

  create(input: TInput): Promise<T> {
    return this.http.request<T>(this.basePath, { method: 'POST', body: input });
  }

  get(id: string): Promise<T> {
    return this.http.request<T>(`${this.basePath}/${seg(id)}`);
  }

  /** Partial update; fails with `version_conflict` when `patch.version` is not the stored version. */
  update(id: string, patch: TPatch): Promise<T> {
    return this.http.request<T>(`${this.basePath}/${seg(id)}`, { method: 'PATCH', body: patch });
  }
}
