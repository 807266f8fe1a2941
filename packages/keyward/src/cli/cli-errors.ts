/**
 * CLI error reporting: every failure becomes one line on stderr, `error: <message> (<code>)`, and an
 * exit code (1 for failures, 2 for usage errors). Never a stack trace, never the token.
 */
import { CommanderError } from 'commander';

/** A failure detected by the CLI itself (bad option value, ambiguous name …). */
export class CliError extends Error {
  readonly code: string;
  constructor(message: string, code = 'invalid_argument') {
    super(message);
    this.name = 'CliError';
    this.code = code;
  }
}

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** The one-line message for an error; `secrets` are masked wherever they might appear. */
export function errorLine(error: unknown, secrets: Array<string | undefined> = []): string {
  let message: string;
  let code: string;
  // Duck-typed rather than `instanceof KeywardApiError`: SDK and CLI may load different copies.
  if (error instanceof Error && typeof (error as { code?: unknown }).code === 'string') {
    message = error.message;
    code = (error as Error & { code: string }).code;
  } else if (error instanceof Error) {
    message = error.message;
    code = 'internal';
  } else {
    message = String(error);
    code = 'internal';
  }
  for (const secret of secrets) {
    if (secret && secret.length >= 4) message = message.replaceAll(secret, '***');
  }
  return `error: ${message.replace(/\s*\n\s*/g, ' ')} (${code})`;
}

/** Exit code for an error thrown while parsing/running (commander errors keep their meaning). */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
  return EXIT_FAILURE;
}
