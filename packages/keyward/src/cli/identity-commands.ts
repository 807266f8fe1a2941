/**
 * `keyward identity add|list|show|update|disable`. Owners are given by human id or email; identities
 * by id or exact name. `update` is read-modify-write with the version it read, so a concurrent edit
 * fails with version_conflict instead of being overwritten.
 */
import type {
  CredentialMeta,
  IdentityFilter,
  IdentityInput,
  IdentityPatch,
  SecretLocation,
} from '@keyward/sdk';
import type { Command } from 'commander';
import { action, addListOptions, type CliContext, type Options, runList } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { registerAdoptCommand } from './finding-commands.js';
import { resolveHuman, resolveIdentity } from './name-resolver.js';
import {
  asArg,
  labelsFrom,
  parseDate,
  parseIdentityKind,
  parseIdentityStatus,
  parseLabel,
  parseNonNegativeInt,
  parsePositiveInt,
  parseSecretLocation,
  repeatable,
} from './option-parsers.js';
import { identityDetail, identityTable } from './record-views.js';

/** `--owner none` clears the owner; anything else is a human id or email. */
async function ownerId(ctx: CliContext, owner: string | undefined): Promise<string | null | undefined> {
  if (owner === undefined) return undefined;
  if (owner === 'none') return null;
  return resolveHuman(ctx.client, owner);
}

function credentialFrom(options: Options, base: CredentialMeta = {}): CredentialMeta | undefined {
  const changes: CredentialMeta = {};
  if (options.expires !== undefined) changes.expiresAt = options.expires;
  if (options.lastRotated !== undefined) changes.lastRotatedAt = options.lastRotated;
  if (options.rotationDays !== undefined) changes.rotationPeriodDays = options.rotationDays;
  return Object.keys(changes).length === 0 ? undefined : { ...base, ...changes };
}

/** Options shared by add and update (everything but kind). */
function addFieldOptions(command: Command): Command {
  return command
    .option('--owner <human>', 'owning human: id or email ("none" clears it on update)')
    .option('--purpose <text>', 'why the identity exists')
    .option('--business-system <name>', 'business system it serves')
    .option('--expires <date>', 'credential expiry: YYYY-MM-DD or +Nd', asArg(parseDate))
    .option('--review-date <date>', 'review date when the credential never expires', asArg(parseDate))
    .option('--last-rotated <date>', 'when the credential was last rotated', asArg(parseDate))
    .option('--rotation-days <n>', 'rotation period in days', asArg(parsePositiveInt))
    .option('--origin <origin>', 'where it was created: aws, kubernetes, github, saas, manual …')
    .option('--external-id <id>', 'its id at the origin (ARN, client id …)')
    .option('--label <key=value>', 'label (repeatable)', repeatable(parseLabel))
    .option(
      '--secret-location <store:ref>',
      'where a secret lives (repeatable)',
      repeatable(parseSecretLocation),
    )
    .option('--status <status>', 'active, disabled, revoked or orphaned', asArg(parseIdentityStatus));
}

export function registerIdentityCommands(program: Command, io: CliIo): void {
  const identity = program.command('identity').description('manage non-human identities');

  addFieldOptions(
    identity
      .command('add')
      .description('register an identity')
      .requiredOption('--name <name>', 'unique name')
      .requiredOption(
        '--kind <kind>',
        'service_account, api_key, oauth_app, agent, workload, bot …',
        asArg(parseIdentityKind),
      )
      .requiredOption('--env <environment>', 'environment, e.g. prod, staging, dev'),
  )
    .addHelpText(
      'after',
      '\nExample:\n  $ keyward identity add --name payments-api-prod --kind service_account --env prod \\\n' +
        '      --owner ana@example.com --purpose "charges cards" --expires +90d --label team=payments \\\n' +
        '      --secret-location vault:kv/prod/payments-api',
    )
    .action(
      action(io, async (ctx, _args, o) => {
        const input: IdentityInput = {
          name: o.name,
          kind: o.kind,
          environment: o.env,
          ownerId: await ownerId(ctx, o.owner),
          purpose: o.purpose,
          businessSystem: o.businessSystem,
          origin: o.origin,
          originExternalId: o.externalId,
          reviewDate: o.reviewDate,
          status: o.status,
          labels: labelsFrom(o.label),
          secretLocations: o.secretLocation,
          credential: credentialFrom(o),
        };
        ctx.print(await ctx.client.identities.create(input), identityDetail);
      }),
    );

  addListOptions(
    identity
      .command('list')
      .description('list identities, optionally filtered')
      .option('--kind <kind>', 'identity kind', asArg(parseIdentityKind))
      .option('--status <status>', 'status', asArg(parseIdentityStatus))
      .option('--env <environment>', 'environment')
      .option('--owner <human>', 'owner id or email')
      .option('--origin <origin>', 'origin')
      .option('--business-system <name>', 'business system')
      .option('--label <key=value>', 'label match')
      .option('-q, --query <text>', 'substring of name or purpose'),
  )
    .addHelpText('after', '\nExample:\n  $ keyward identity list --env prod --status orphaned --all')
    .action(
      action(io, async (ctx, _args, o) => {
        const filter: IdentityFilter = {
          kind: o.kind,
          status: o.status,
          environment: o.env,
          ownerId: o.owner === undefined ? undefined : await resolveHuman(ctx.client, o.owner),
          origin: o.origin,
          businessSystem: o.businessSystem,
          label: o.label,
          q: o.query,
        };
        await runList(ctx, o, (page) => ctx.client.identities.list({ ...filter, ...page }), identityTable);
      }),
    );

  identity
    .command('show')
    .description('show one identity')
    .argument('<identity>', 'id or exact name')
    .addHelpText('after', '\nExample:\n  $ keyward identity show ci-deployer')
    .action(
      action(io, async (ctx, [ref]) => {
        const id = await resolveIdentity(ctx.client, ref!);
        ctx.print(await ctx.client.identities.get(id), identityDetail);
      }),
    );

  addFieldOptions(
    identity
      .command('update')
      .description(
        'change fields of an identity (labels and secret locations are added to the existing ones)',
      )
      .argument('<identity>', 'id or exact name')
      .option('--name <name>', 'new name')
      .option('--env <environment>', 'environment')
      .option('--remove-label <key>', 'remove a label (repeatable)', repeatable(String))
      .option('--expect-version <n>', 'fail unless the stored version is n', asArg(parseNonNegativeInt)),
  )
    .addHelpText(
      'after',
      '\nExample:\n  $ keyward identity update payments-api-prod --owner bo@example.com --review-date 2026-06-30',
    )
    .action(
      action(io, async (ctx, [ref], o) => {
        const id = await resolveIdentity(ctx.client, ref!);
        const current = await ctx.client.identities.get(id);
        const patch: IdentityPatch = { version: o.expectVersion ?? current.version };
        if (o.name !== undefined) patch.name = o.name;
        if (o.env !== undefined) patch.environment = o.env;
        if (o.owner !== undefined) patch.ownerId = await ownerId(ctx, o.owner);
        if (o.purpose !== undefined) patch.purpose = o.purpose;
        if (o.businessSystem !== undefined) patch.businessSystem = o.businessSystem;
        if (o.origin !== undefined) patch.origin = o.origin;
        if (o.externalId !== undefined) patch.originExternalId = o.externalId;
        if (o.reviewDate !== undefined) patch.reviewDate = o.reviewDate;
        if (o.status !== undefined) patch.status = o.status;
        const credential = credentialFrom(o, current.credential);
        if (credential) patch.credential = credential;
        if (o.label || o.removeLabel) {
          const labels = { ...current.labels, ...labelsFrom(o.label) };
          for (const key of (o.removeLabel as string[] | undefined) ?? []) delete labels[key];
          patch.labels = labels;
        }
        if (o.secretLocation) {
          const added = o.secretLocation as SecretLocation[];
          const known = new Set(current.secretLocations.map((s) => `${s.store}:${s.ref}`));
          patch.secretLocations = [
            ...current.secretLocations,
            ...added.filter((s) => !known.has(`${s.store}:${s.ref}`)),
          ];
        }
        ctx.print(await ctx.client.identities.update(id, patch), identityDetail);
      }),
    );

  identity
    .command('disable')
    .description('disable an identity (kept for lineage; its edges stay)')
    .argument('<identity>', 'id or exact name')
    .option('--reason <text>', 'why (recorded in the audit log)')
    .option('--expect-version <n>', 'fail unless the stored version is n', asArg(parseNonNegativeInt))
    .addHelpText(
      'after',
      '\nExample:\n  $ keyward identity disable legacy-etl-key --reason "owner left, unused since March"',
    )
    .action(
      action(io, async (ctx, [ref], o) => {
        const id = await resolveIdentity(ctx.client, ref!);
        const disabled = await ctx.client.identities.disable(id, {
          version: o.expectVersion,
          reason: o.reason,
        });
        ctx.print(disabled, identityDetail);
      }),
    );
  registerAdoptCommand(identity, io);
}
