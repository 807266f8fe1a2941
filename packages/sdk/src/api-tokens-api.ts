/** The API tokens API (admin only). The secret is returned once, by `create`. */
import type { HttpTransport } from './http-transport.js';
import { seg } from './http-transport.js';
import { toQuery } from './record-api.js';
import type { ApiToken, ApiTokenInput, CreatedApiToken, Page, PageRequest } from './types.js';

export class ApiTokensApi {
  private readonly basePath = '/v1/api-tokens';
  constructor(private readonly http: HttpTransport) {}

  create(input: ApiTokenInput): Promise<CreatedApiToken> {
    return this.http.request<CreatedApiToken>(this.basePath, { method: 'POST', body: input });
  }

  list(page: PageRequest = {}): Promise<Page<ApiToken>> {
    return this.http.request<Page<ApiToken>>(this.basePath, { query: toQuery(page) });
  }

  /** Revokes the token and returns it with `revokedAt` set. */
  revoke(id: string): Promise<ApiToken> {
    return this.http.request<ApiToken>(`${this.basePath}/${seg(id)}`, { method: 'DELETE' });
  }
}
