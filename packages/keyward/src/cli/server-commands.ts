/**
 * Placeholder: the server-side commands (serve, migrate, demo, local token bootstrap) are owned
 * elsewhere and replace this file at merge.
 */
import type { Command } from 'commander';

export function registerServerCommands(_program: Command): void {}
