/**
 * Discovery routes. Admin only: `POST /v1/discovery/imports` (uploaded files or a server-side path
 * under KEYWARD_DISCOVERY_ROOTS) and `POST /v1/discovery/scans` (a scan's findings, or a path to
 * scan). Read: runs, scopes, findings, found credentials, an identity's provenance. Write:
 * accepting or resolving a finding, adopting a discovered identity. All logic is in discovery/.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { FindingFilter } from '../../discovery/discovery-types.js';
import type { FindingService } from '../../discovery/finding-service.js';
import type { ImportFile, ImportSource } from '../../discovery/import-batch.js';
import { readImportInputs, underDiscoveryRoots } from '../../discovery/import-files.js';
import type { ImportService } from '../../discovery/import-service.js';
import type { SecretFinding } from '../../discovery/scan/scan-types.js';
import type { ScanService } from '../../discovery/scan-service.js';
import { KeywardError, notFound } from '../../errors.js';
import type { IdentityService } from '../../inventory/identity-service.js';
import type { Store } from '../../storage/storage-types.js';
import { actorOf } from '../auth-hook.js';
import * as S from '../schemas.js';
import * as D from './discovery-schemas.js';

export interface DiscoveryRouteDeps {
  store: Store;
  imports: ImportService;
  scans: ScanService;
  findings: FindingService;
  identities: IdentityService;
  discovery: { roots: readonly string[]; maxBytes: number };
}

type ImportBodyT = {
  source: ImportSource;
  files?: ImportFile[];
  path?: string;
  scope?: string;
  environment?: string;
  mapping?: Record<string, string>;
  partial?: boolean;
  dryRun?: boolean;
};

const exactlyOne = (a: unknown, b: unknown, what: string) => {
  if ((a === undefined) === (b === undefined)) {
    throw new KeywardError('validation_failed', `give exactly one of ${what}`);
  }
};

export function registerDiscoveryRoutes(app: FastifyInstance, deps: DiscoveryRouteDeps): void {
  const { roots, maxBytes } = deps.discovery;
  // JSON escaping can grow text by a few percent; the limit on the files themselves is checked below.
  const bodyLimit = Math.ceil(maxBytes * 1.2) + 64 * 1024;

  app.post(
    '/v1/discovery/imports',
    {
      bodyLimit,
      config: { permission: 'admin' },
      schema: {
        tags: ['discovery'],
        summary: 'Import identities from AWS IAM, Kubernetes, GitHub or CSV/JSON',
        body: D.ImportBody,
      },
    },
    async (request, reply) => {
      const body = request.body as ImportBodyT;
      exactlyOne(body.files, body.path, 'files (an upload) or path (server-side)');
      let files = body.files ?? [];
      let readProblems: Awaited<ReturnType<typeof readImportInputs>>['problems'] = [];
      if (body.path !== undefined) {
        const read = await readImportInputs([await underDiscoveryRoots(body.path, roots)], maxBytes);
        files = read.files;
        readProblems = read.problems;
        if (files.length === 0)
          throw new KeywardError(
            'validation_failed',
            `no readable input under ${body.path}: ${readProblems[0]?.reason ?? 'no files'}`,
          );
      }
      const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
      if (bytes > maxBytes)
        throw new KeywardError(
          'body_too_large',
          `the files hold ${bytes} bytes; the limit is ${maxBytes} (KEYWARD_DISCOVERY_MAX_BYTES)`,
        );
      const outcome = await deps.imports.importFiles(actorOf(request), {
        source: body.source,
        files,
        options: { scope: body.scope, environment: body.environment, mapping: body.mapping },
        partial: body.partial === true,
        dryRun: body.dryRun === true,
      });
      if (readProblems.length > 0) outcome.run.summary.problems.unshift(...readProblems);
      return reply.code(outcome.dryRun ? 200 : 201).send(outcome);
    },
  );

  app.post(
    '/v1/discovery/scans',
    {
      bodyLimit: 64 * 1024 * 1024,
      config: { permission: 'admin' },
      schema: {
        tags: ['discovery'],
        summary: 'Record a secret scan (findings from the CLI), or scan a server-side path',
        body: D.ScanBody,
      },
    },
    async (request, reply) => {
      const body = request.body as {
        target?: string;
        findings?: SecretFinding[];
        problems?: Array<{ path: string; reason: string }>;
        stats?: Record<string, unknown>;
        path?: string;
        history?: boolean;
      };
      exactlyOne(body.findings, body.path, 'findings (a scan run elsewhere) or path (server-side)');
      if (body.path !== undefined) {
        const root = await underDiscoveryRoots(body.path, roots);
        const { run, result } = await deps.scans.scanAndRecord(
          actorOf(request),
          root,
          body.target ?? path.basename(root),
          { history: body.history === true },
        );
        return reply
          .code(201)
          .send({ run, findings: result.findings, problems: result.problems, stats: result.stats });
      }
      const stats = {
        files: Number(body.stats?.['files'] ?? 0),
        bytes: Number(body.stats?.['bytes'] ?? 0),
        skipped: {},
        durationMs: Number(body.stats?.['durationMs'] ?? 0),
      };
      if (!body.target)
        throw new KeywardError(
          'validation_failed',
          'target (the scanned repository or directory) is required with findings',
        );
      const run = await deps.scans.record(actorOf(request), body.target, {
        findings: body.findings ?? [],
        problems: body.problems ?? [],
        stats,
      });
      return reply.code(201).send({ run });
    },
  );

  app.get(
    '/v1/discovery/runs',
    {
      config: { permission: 'read' },
      schema: { tags: ['discovery'], summary: 'Import and scan runs, newest first', querystring: D.RunQuery },
    },
    async (request) => {
      const q = request.query as {
        type?: 'import' | 'scan';
        scope?: string;
        limit?: number;
        cursor?: string;
      };
      return deps.store.discoveryRuns.list(
        { type: q.type, scope: q.scope },
        { limit: q.limit, cursor: q.cursor },
      );
    },
  );

  app.get(
    '/v1/discovery/runs/:id',
    {
      config: { permission: 'read' },
      schema: { tags: ['discovery'], summary: 'One run with its summary', params: S.IdParams },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const run = await deps.store.discoveryRuns.get(id);
      if (!run) throw notFound('run', id);
      return run;
    },
  );

  app.get(
    '/v1/discovery/scopes',
    {
      config: { permission: 'read' },
      schema: { tags: ['discovery'], summary: 'Every imported source scope' },
    },
    async () => ({
      items: await deps.store.discoveryRefs.scopes(),
    }),
  );

  app.get(
    '/v1/findings',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['discovery'],
        summary: 'Posture findings (NHI codes), newest first',
        querystring: D.FindingQuery,
      },
    },
    async (request) => {
      const { limit, cursor, ...filter } = request.query as FindingFilter & {
        limit?: number;
        cursor?: string;
      };
      return deps.findings.list(filter, { limit, cursor });
    },
  );

  app.get(
    '/v1/findings/:id',
    {
      config: { permission: 'read' },
      schema: { tags: ['discovery'], summary: 'One finding with its evidence', params: S.IdParams },
    },
    async (request) => deps.findings.get((request.params as { id: string }).id),
  );

  app.post(
    '/v1/findings/:id/resolve',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['discovery'],
        summary: 'Resolve a finding by hand, with the reason',
        params: S.IdParams,
        body: D.ResolveBody,
      },
    },
    async (request) =>
      deps.findings.resolve(
        actorOf(request),
        (request.params as { id: string }).id,
        (request.body as { reason: string }).reason,
      ),
  );

  app.post(
    '/v1/findings/:id/accept',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['discovery'],
        summary: 'Accept the risk of a finding until a date',
        params: S.IdParams,
        body: D.AcceptBody,
      },
    },
    async (request) => {
      const body = request.body as { reason: string; until: string };
      return deps.findings.accept(
        actorOf(request),
        (request.params as { id: string }).id,
        body.reason,
        body.until,
      );
    },
  );

  app.get(
    '/v1/credentials',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['discovery'],
        summary: 'Credentials found by imports (never their secrets)',
        querystring: D.CredentialQuery,
      },
    },
    async (request) => {
      const { limit, cursor, ...filter } = request.query as {
        identityId?: string;
        kind?: string;
        status?: 'active' | 'inactive' | 'revoked';
        scope?: string;
        limit?: number;
        cursor?: string;
      };
      return deps.store.credentials.list(filter, { limit, cursor });
    },
  );

  app.get(
    '/v1/identities/:id/provenance',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['discovery'],
        summary: 'Where an identity was found: every source record it came from',
        params: S.IdParams,
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      await deps.identities.get(id);
      return { items: await deps.store.discoveryRefs.listForNode(id) };
    },
  );

  app.post(
    '/v1/identities/:id/adopt',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['discovery'],
        summary:
          'Take a discovered identity under management (owner, purpose, end); approves a discovered agent',
        params: S.IdParams,
        body: D.AdoptBody,
      },
    },
    async (request) => {
      const body = request.body as {
        version?: number;
        ownerId?: string;
        purpose?: string;
        reviewDate?: string;
      };
      return deps.identities.adopt(actorOf(request), (request.params as { id: string }).id, body);
    },
  );
}
