/** The edges API: edges are immutable, so there is create and delete but no update. */
import type { HttpTransport } from './http-transport.js';
import { seg } from './http-transport.js';
import { paginate } from './pagination.js';
import { toQuery } from './record-api.js';
import type { Edge, EdgeFilter, EdgeInput, Page, PageRequest } from './types.js';

export class EdgesApi {
  private readonly basePath = '/v1/edges';
  constructor(private readonly http: HttpTransport) {}

  list(filter: EdgeFilter & PageRequest = {}): Promise<Page<Edge>> {
    return this.http.request<Page<Edge>>(this.basePath, { query: toQuery(filter) });
  }

  listAll(filter: EdgeFilter & { limit?: number | undefined } = {}): AsyncGenerator<Edge, void, undefined> {
    return paginate((cursor) => this.list({ ...filter, cursor }));
  }

  create(input: EdgeInput): Promise<Edge> {
    return this.http.request<Edge>(this.basePath, { method: 'POST', body: input });
  }

  get(id: string): Promise<Edge> {
    return this.http.request<Edge>(`${this.basePath}/${seg(id)}`);
  }

  async delete(id: string): Promise<void> {
    await this.http.request<void>(`${this.basePath}/${seg(id)}`, { method: 'DELETE' });
  }
}
