/**
 * CliContext: what an action needs — the global options resolved against the environment, the SDK
 * client, and output helpers that honour `--json` and TTY coloring. Also the `action` wrapper and
 * the shared list-command plumbing (`--limit`, `--cursor`, `--all`).
 */
import { errorFromResponse, KeywardClient, type Page } from '@keyward/sdk';
import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { asArg, parsePositiveInt } from './option-parsers.js';
import { json, type OutputStyle } from './output-format.js';

export const DEFAULT_URL = 'http://127.0.0.1:8470';

export interface GlobalOptions {
  url?: string | undefined;
  token?: string | undefined;
  json?: boolean | undefined;
}

/** The token that would be used, for masking in error output even when the action never ran. */
export function tokenOf(options: GlobalOptions, io: CliIo): string | undefined {
  return options.token ?? io.env['KEYWARD_TOKEN'];
}

export class CliContext {
  readonly url: string;
  readonly json: boolean;
  readonly style: OutputStyle;
  private readonly token: string | undefined;
  private clientInstance: KeywardClient | undefined;

  constructor(
    readonly io: CliIo,
    options: GlobalOptions,
  ) {
    this.url = options.url ?? io.env['KEYWARD_URL'] ?? DEFAULT_URL;
    this.token = tokenOf(options, io);
    this.json = options.json === true;
    this.style = { color: io.isTTY && !('NO_COLOR' in io.env) };
  }

  get client(): KeywardClient {
    this.clientInstance ??= new KeywardClient({ url: this.url, token: this.token, fetch: this.io.fetch });
    return this.clientInstance;
  }

  /**
   * A raw API call for endpoints the SDK does not cover yet (signing keys); errors become the same
   * KeywardApiError the SDK throws.
   */
  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const url = this.url.replace(/\/+$/, '') + path;
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await (this.io.fetch ?? fetch)(url, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw errorFromResponse(method, url, res.status, res.statusText, text);
    return JSON.parse(text) as T;
  }

  /** Whether an API token is configured (commands that work offline too ask before calling the server). */
  hasToken(): boolean {
    return this.token !== undefined && this.token !== '';
  }

  /** Headers for a raw API request (the audit commands call routes the SDK does not cover yet). */
  authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  /** Writes `data` as JSON under `--json`, otherwise the human view. */
  print<T>(data: T, view: (data: T, style: OutputStyle) => string): void {
    this.io.stdout.write(this.json ? json(data) : view(data, this.style));
  }

  /** A hint for humans (stderr, so stdout stays parseable); silent under `--json`. */
  note(text: string): void {
    if (!this.json) this.io.stderr.write(`${text}\n`);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: commander hands options over untyped.
export type Options = Record<string, any>;

/** Wraps an action: builds the context from the global options; errors propagate to runProgram. */
export function action(
  io: CliIo,
  handler: (ctx: CliContext, args: string[], options: Options) => Promise<void>,
) {
  return async (...params: unknown[]): Promise<void> => {
    const command = params[params.length - 1] as Command;
    const args = params.slice(0, -2) as string[];
    await handler(new CliContext(io, command.optsWithGlobals<GlobalOptions>()), args, command.opts());
  };
}

export interface ListOptions {
  limit?: number | undefined;
  cursor?: string | undefined;
  all?: boolean | undefined;
}

export function addListOptions(command: Command): Command {
  return command
    .option('--limit <n>', 'page size (server default 100)', asArg(parsePositiveInt))
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--all', 'follow cursors and list every match');
}

/** Runs a list command: one page, or every page with `--all` (printed as one page under `--json`). */
export async function runList<T>(
  ctx: CliContext,
  options: ListOptions,
  fetchPage: (page: { cursor?: string | undefined; limit?: number | undefined }) => Promise<Page<T>>,
  view: (items: T[], style: OutputStyle) => string,
): Promise<void> {
  if (options.all) {
    const items: T[] = [];
    let cursor = options.cursor;
    do {
      const page = await fetchPage({ cursor, limit: options.limit });
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    ctx.print<Page<T>>({ items, nextCursor: null }, (p, style) => view(p.items, style));
    return;
  }
  const page = await fetchPage({ cursor: options.cursor, limit: options.limit });
  ctx.print(page, (p, style) => view(p.items, style));
  if (page.nextCursor) ctx.note(`more results: add --cursor ${page.nextCursor}, or --all`);
}
