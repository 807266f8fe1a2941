/** Unauthenticated health and metadata routes, plus the (authenticated) Prometheus endpoint. */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Store } from '../../storage/storage-types.js';
import { problemOf, sendProblem } from '../problem.js';

export interface MetaRouteDeps {
  store: Store;
  metrics: Registry;
  version: string;
}

export function registerMetaRoutes(app: FastifyInstance, { store, metrics, version }: MetaRouteDeps): void {
  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({
    status: 'ok',
    version,
  }));
  app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    try {
      await store.ping();
      return { status: 'ready', backend: store.backend };
    } catch {
      return sendProblem(reply, problemOf('storage_unavailable', 'the database is not reachable'));
    }
  });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  app.get('/metrics', { config: { permission: 'read' }, schema: { hide: true } }, async (_request, reply) => {
    reply.type(metrics.contentType);
    return metrics.metrics();
  });
}
