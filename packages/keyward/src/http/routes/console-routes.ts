/**
 * Serves the built web console at `/`: its static files, and index.html for any other GET that a
 * browser asks for as a page (the console's routes live in the URL), so a shared link opens the
 * right page. Everything here is public like the OpenAPI document: the files hold no data; every
 * API call the console makes carries the signed-in user's token. API paths keep their problem+json
 * 404. A strict CSP: scripts and styles only from this origin, no framing.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Cytoscape and React set inline style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const API_PREFIXES = ['/v1/', '/oauth/', '/.well-known/', '/metrics', '/healthz', '/readyz', '/openapi.json'];

function secure(reply: FastifyReply): void {
  reply.header('content-security-policy', CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
}

/** Registers the console; returns whether one was found to serve. */
export async function registerConsoleRoutes(app: FastifyInstance, dir: string | null): Promise<boolean> {
  const indexFile = dir ? path.join(dir, 'index.html') : null;
  if (!dir || !indexFile || !existsSync(indexFile)) {
    app.get('/', { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send('Keyward API. The web console is not built here: run `npm run build`, then restart.\n'),
    );
    return false;
  }
  const index = readFileSync(indexFile, 'utf8');
  // Files are sent by @fastify/static's sendFile (it confines paths to `dir`); the routes are ours so
  // they can be marked public for the auth hook.
  await app.register(fastifyStatic, { root: dir, serve: false, index: false });
  app.addHook('onRequest', async (request, reply) => {
    if (!API_PREFIXES.some((p) => request.url.startsWith(p))) secure(reply);
  });
  const page = async (_request: unknown, reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(index);
  app.get('/', { config: { public: true }, schema: { hide: true } }, page);
  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    let url: string;
    try {
      url = decodeURIComponent(request.url.split('?')[0] ?? '/');
    } catch {
      // A malformed %-escape names no file and no page.
      reply.callNotFound();
      return reply;
    }
    if (API_PREFIXES.some((p) => url.startsWith(p))) {
      reply.callNotFound();
      return reply;
    }
    if (path.extname(url) !== '') {
      // Hashed asset names may be cached for good; anything else is revalidated.
      const immutable = url.startsWith('/assets/');
      return reply.sendFile(url.slice(1), {
        maxAge: immutable ? 31_536_000_000 : 0,
        immutable,
      });
    }
    if (!(request.headers.accept ?? '').includes('text/html')) {
      reply.callNotFound();
      return reply;
    }
    return page(request, reply);
  });
  return true;
}
