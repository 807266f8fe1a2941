/**
 * `keyward audit list|tail|verify|retain`. list and tail use the API (auditor token or better);
 * verify uses the API, or works directly on the store with --data-dir / --database-url (like
 * `keyward migrate`); retain works on the store only.
 */
import type { Command } from 'commander';
import { openConfiguredStore } from '../app.js';
import { applyRetention } from '../audit/audit-retention.js';
import type { AuditEvent, VerifyResult } from '../audit/audit-types.js';
import { verifyAuditLog } from '../audit/audit-verifier.js';
import { loadCheckpointSigner, loadCheckpointVerifier } from '../audit/checkpoint-key-service.js';
import { loadConfig } from '../config.js';
import { loadMasterKey } from '../keys/master-key.js';
import { call, listEvents, streamEvents, verifyRemote } from './audit-api.js';
import { action, addListOptions, runList } from './cli-context.js';
import { CliError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';
import { asArg, parseNonNegativeInt, parsePositiveInt } from './option-parsers.js';
import { dash, type OutputStyle, paint, renderTable, time } from './output-format.js';

export function auditTable(events: AuditEvent[], style: OutputStyle): string {
  if (events.length === 0) return 'no audit events\n';
  return renderTable(
    ['seq', 'time', 'actor', 'type', 'target', 'outcome'],
    events.map((e) => [
      e.seq,
      time(e.time),
      e.actor,
      e.type,
      dash(e.targetId),
      e.outcome === 'success' ? e.outcome : paint(e.outcome, 'red', style),
    ]),
    style,
  );
}

function verifyView(r: VerifyResult, style: OutputStyle): string {
  if (r.ok) {
    return `${paint('audit log verified', 'green', style)}: ${r.events} events (seq ${dash(r.firstSeq)}..${dash(r.lastSeq)}), ${r.checkpoints} checkpoints, ${r.signaturesChecked} signatures checked\n`;
  }
  return `${paint('audit log TAMPERED', 'red', style)}: ${r.reason} at seq ${r.firstBadSeq}: ${r.detail}\n`;
}

async function withStore<T>(
  o: { dataDir?: string; databaseUrl?: string },
  fn: (
    s: Awaited<ReturnType<typeof openConfiguredStore>>,
    config: ReturnType<typeof loadConfig>,
  ) => Promise<T>,
) {
  const config = loadConfig({
    ...(o.dataDir ? { dataDir: o.dataDir } : {}),
    ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
  });
  const store = await openConfiguredStore(config);
  try {
    await store.migrate();
    return await fn(store, config);
  } finally {
    await store.close();
  }
}

export function registerAuditCommands(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('the tamper-evident audit trail');

  addListOptions(
    audit
      .command('list')
      .description('audit events in seq order')
      .option('--identity <id>', 'events whose actor or target is this id')
      .option('--task <id>', 'events of this task')
      .option('--outcome <outcome>', 'success, failure or denied')
      .option('--type <type>', 'event type, e.g. identity.created')
      .option('--from <time>', 'ISO time, inclusive')
      .option('--to <time>', 'ISO time, exclusive'),
  )
    .addHelpText('after', '\nExample:\n  $ keyward audit list --identity nhi_… --outcome denied')
    .action(
      action(io, async (ctx, _args, o) => {
        await runList(
          ctx,
          o,
          (page) =>
            listEvents(ctx, {
              identityId: o.identity,
              taskId: o.task,
              outcome: o.outcome,
              type: o.type,
              from: o.from,
              to: o.to,
              cursor: page.cursor,
              limit: page.limit,
            }),
          auditTable,
        );
      }),
    );

  audit
    .command('tail')
    .description('follow the live audit stream (from --after-seq, else from now)')
    .option('--after-seq <seq>', 'replay events after this seq first', asArg(parseNonNegativeInt))
    .option('--max <n>', 'stop after n events', asArg(parsePositiveInt))
    .action(
      action(io, async (ctx, _args, o) => {
        await streamEvents(ctx, o.afterSeq, o.max, (e) =>
          ctx.io.stdout.write(
            ctx.json
              ? `${JSON.stringify(e)}\n`
              : `${e.seq}\t${e.time}\t${e.actor}\t${e.type}\t${e.targetId ?? '-'}\t${e.outcome}\n`,
          ),
        );
      }),
    );

  audit
    .command('verify')
    .description('verify the hash chain and checkpoints (exit 1 when tampered)')
    .option('--from-seq <seq>', 'verify from this seq on', asArg(parsePositiveInt))
    .option('--data-dir <dir>', 'verify the SQLite store in this data directory directly')
    .option('--database-url <url>', 'verify this PostgreSQL store directly')
    .addHelpText(
      'after',
      '\nExamples:\n  $ keyward audit verify                       # through the API\n  $ keyward audit verify --data-dir .keyward   # on the store, server stopped or not',
    )
    .action(
      action(io, async (ctx, _args, o) => {
        const local = Boolean(o.dataDir || o.databaseUrl);
        // A direct run checks signatures with the stored public checkpoint keys (no master key needed).
        const result = local
          ? await withStore(o, async (store) =>
              verifyAuditLog(store, { fromSeq: o.fromSeq, signer: await loadCheckpointVerifier(store) }),
            )
          : await verifyRemote(ctx, o.fromSeq);
        ctx.print(result, verifyView);
        if (!result.ok)
          throw new CliError(
            `audit log tampered: ${result.reason} at seq ${result.firstBadSeq}`,
            'audit_tampered',
          );
      }),
    );

  audit
    .command('keys')
    .description('the checkpoint signing keys (public halves; retired keys still verify old checkpoints)')
    .action(
      action(io, async (ctx) => {
        const keys = (await (await call(ctx, '/v1/audit/checkpoint-keys')).json()) as {
          items: Array<{ kid: string; status: string; createdAt: string; retiredAt: string | null }>;
        };
        ctx.print(keys, (k, style) =>
          renderTable(
            ['kid', 'status', 'created', 'retired'],
            k.items.map((i) => [i.kid, i.status, time(i.createdAt), dash(i.retiredAt && time(i.retiredAt))]),
            style,
          ),
        );
      }),
    );

  audit
    .command('rotate-key')
    .description('rotate the checkpoint signing key (admin; audited)')
    .option('--reason <text>', 'why (kept in the audit event)')
    .action(
      action(io, async (ctx, _args, o) => {
        const res = await call(ctx, '/v1/audit/checkpoint-keys/rotate', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(o.reason ? { reason: o.reason } : {}),
        });
        ctx.print((await res.json()) as { kid: string }, (r) => `checkpoint key rotated: ${r.kid}\n`);
      }),
    );

  audit
    .command('retain')
    .description(
      'archive events older than --before to a JSON-lines file and delete them (keeps a signed anchor)',
    )
    .requiredOption('--before <time>', 'ISO date/time: archive events older than this')
    .requiredOption('--archive <file>', 'JSON-lines file to append the archived events to')
    .option('--data-dir <dir>', 'SQLite data directory (env KEYWARD_DATA_DIR)')
    .option('--database-url <url>', 'PostgreSQL URL (env DATABASE_URL)')
    .action(
      action(io, async (ctx, _args, o) => {
        const before = new Date(o.before);
        if (Number.isNaN(before.getTime())) throw new CliError('--before must be an ISO date or time');
        const result = await withStore(o, async (store, config) =>
          applyRetention({
            store,
            // The retention anchor is signed with Keyward's checkpoint key, so it verifies later.
            signer: await loadCheckpointSigner({
              store,
              now: () => new Date(),
              masterKey: loadMasterKey({
                configured: config.masterKey,
                dataDir: config.dataDir,
                warn: (line) => ctx.io.stderr.write(`${line}\n`),
              }),
            }),
            before,
            archiveFile: o.archive,
            now: () => new Date(),
          }),
        );
        ctx.print(result, (r) => `archived ${r.archived} events through seq ${r.cutSeq} to ${o.archive}\n`);
      }),
    );
}
