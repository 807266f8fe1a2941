/**
 * Output primitives for human-readable CLI output: tables (cli-table3), key/value detail views,
 * trees, dates and sensitivity coloring. Colors are applied only when `style.color` is set (stdout is
 * a TTY), so piped output and tests see plain text.
 */
import type { Sensitivity } from '@keyward/sdk';
import Table from 'cli-table3';

export interface OutputStyle {
  color: boolean;
}

const ANSI = {
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  magenta: '\u001b[35m',
  green: '\u001b[32m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
  reset: '\u001b[0m',
} as const;
type AnsiName = Exclude<keyof typeof ANSI, 'reset'>;

export function paint(text: string, color: AnsiName, style: OutputStyle): string {
  return style.color ? `${ANSI[color]}${text}${ANSI.reset}` : text;
}

const SENSITIVITY_COLOR: Record<Sensitivity, AnsiName> = {
  critical: 'red',
  high: 'magenta',
  medium: 'yellow',
  low: 'dim',
};

export function sensitivity(value: Sensitivity | null | undefined, style: OutputStyle): string {
  if (!value) return '';
  return paint(value, SENSITIVITY_COLOR[value], style);
}

export function status(value: string | null | undefined, style: OutputStyle): string {
  if (!value) return '';
  if (value === 'active') return paint(value, 'green', style);
  if (value === 'orphaned' || value === 'revoked') return paint(value, 'red', style);
  return paint(value, 'yellow', style);
}

/** `2025-01-31T10:00:00.000Z` → `2025-01-31`; empty for null. */
export function day(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '';
}

/** `2025-01-31 10:00Z`, compact but unambiguous. */
export function time(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z` : '';
}

export function dash(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '-' : String(value);
}

export function labelsText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

export function renderTable(head: string[], rows: Array<Array<string | number>>, style: OutputStyle): string {
  if (rows.length === 0) return '(none)\n';
  const table = new Table({
    head,
    // No borders: output stays grep- and copy-friendly; cli-table3 would color the head red by default.
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '  ',
    },
    style: { head: style.color ? ['bold'] : [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const row of rows) table.push(row);
  return (
    table
      .toString()
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n') + '\n'
  );
}

/** Key/value view of one record; empty values shown as `-`. */
export function renderDetail(
  pairs: Array<[string, string | number | null | undefined]>,
  style: OutputStyle,
): string {
  const width = Math.max(...pairs.map(([key]) => key.length));
  return pairs
    .map(([key, value]) => `${paint(key.padEnd(width), 'bold', style)}  ${dash(value)}`.trimEnd())
    .join('\n')
    .concat('\n');
}

export interface TreeNode {
  label: string;
  children: TreeNode[];
}

/** Renders a tree with box-drawing branches; the root label on the first line. */
export function renderTree(root: TreeNode): string {
  const lines = [root.label];
  const walk = (node: TreeNode, prefix: string) => {
    node.children.forEach((child, index) => {
      const last = index === node.children.length - 1;
      lines.push(`${prefix}${last ? '└─ ' : '├─ '}${child.label}`);
      walk(child, prefix + (last ? '   ' : '│  '));
    });
  };
  walk(root, '');
  return lines.join('\n') + '\n';
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
