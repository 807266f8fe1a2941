/**
 * CliIo: everything the CLI touches outside itself (streams, environment, fetch). Commands never use
 * `process` directly, so tests run them in-process with captured output and a private environment.
 */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  /** Colors and other niceties only when stdout is a terminal. */
  isTTY: boolean;
  /** Overrides the global fetch (tests). */
  fetch?: typeof fetch | undefined;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    isTTY: process.stdout.isTTY === true,
  };
}

/** An in-memory CliIo for tests: read `out()` / `err()` after running a command. */
export function captureIo(env: Record<string, string | undefined> = {}, isTTY = false) {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env,
    isTTY,
  };
  return { io, out: () => out, err: () => err };
}
