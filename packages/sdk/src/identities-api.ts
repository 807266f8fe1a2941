/** The identities API: the shared record operations plus disable, lineage and blast radius. */
import { seg } from './http-transport.js';
import { RecordApi } from './record-api.js';
import type {
  BlastRadius,
  Identity,
  IdentityFilter,
  IdentityInput,
  IdentityPatch,
  Lineage,
} from './types.js';

export interface DisableOptions {
  /** The version read; when given the server refuses to disable a newer version. */
  version?: number | undefined;
  reason?: string | undefined;
}

export class IdentitiesApi extends RecordApi<Identity, IdentityInput, IdentityPatch, IdentityFilter> {
  disable(id: string, options: DisableOptions = {}): Promise<Identity> {
    return this.http.request<Identity>(`${this.basePath}/${seg(id)}/disable`, {
      method: 'POST',
      body: options,
    });
  }

  lineage(id: string, options: { depth?: number | undefined } = {}): Promise<Lineage> {
    return this.http.request<Lineage>(`${this.basePath}/${seg(id)}/lineage`, {
      query: { depth: options.depth },
    });
  }

  blastRadius(id: string, options: { limit?: number | undefined } = {}): Promise<BlastRadius> {
    return this.http.request<BlastRadius>(`${this.basePath}/${seg(id)}/blast-radius`, {
      query: { limit: options.limit },
    });
  }
}
