/**
 * Reading Kubernetes manifests as `kubectl get -o yaml|json` and Helm write them: multi-document
 * YAML (`---` separators, empty or null documents, comments), JSON, and `List` / `<Kind>List`
 * wrappers whose items become objects of their own. Every object remembers its file and line, so a
 * problem or a record points at the text it came from. One bad document is one problem; the rest of
 * the file is still read.
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import type { FoundIn, ImportFile, ImportProblem } from '../../import-batch.js';
import { isRecord, jsonPointer } from '../json-document.js';

/** One Kubernetes object of the input, with the metadata every importer step reads. */
export interface K8sObject {
  kind: string;
  /** As written; undefined for items of a typed list (`ServiceAccountList`), which omit it. */
  apiVersion: string | undefined;
  name: string;
  /** As written; undefined for cluster-scoped objects and manifests that leave it to `kubectl -n`. */
  namespace: string | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  body: Record<string, unknown>;
  foundIn: FoundIn;
}

export interface ManifestRead {
  objects: K8sObject[];
  problems: ImportProblem[];
}

/** String-valued map of `labels`/`annotations`; scalars are kept as text, anything else dropped. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/** The first line of a YAML error, without its position (the problem carries the line) or source text. */
const yamlReason = (message: string): string =>
  (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();

const looksLikeJson = (text: string): boolean => /^\s*[[{]/.test(text);

export function readManifests(file: ImportFile): ManifestRead {
  const out: ManifestRead = { objects: [], problems: [] };
  const text = file.text.charCodeAt(0) === 0xfeff ? file.text.slice(1) : file.text;
  if (text.trim() === '') return out;
  const format = looksLikeJson(text) ? 'JSON' : 'YAML';
  const lines = new LineCounter();
  const lineOf = (offset: number | undefined): number =>
    offset === undefined ? 1 : Math.max(1, lines.linePos(offset).line);
  const problem = (line: number, reason: string, path?: string): void => {
    docProblems.push({ file: file.path, line, ...(path ? { path } : {}), reason, severity: 'error' });
  };
  const docProblems: ImportProblem[] = [];
  let objectSeen = false;

  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { lineCounter: lines });
  } catch (err) {
    out.problems.push({ file: file.path, severity: 'error', reason: `not readable as YAML or JSON: ${err}` });
    return out;
  }
  if (!Array.isArray(docs)) return out;

  const collect = (
    value: unknown,
    node: Node | null | undefined,
    path: Array<string | number>,
    line: number,
    listKind?: string,
  ) => {
    const pointer = path.length > 0 ? jsonPointer(path) : undefined;
    if (!isRecord(value)) {
      problem(line, 'not a Kubernetes object (expected a mapping); skipped', pointer);
      return;
    }
    const kind = typeof value['kind'] === 'string' && value['kind'] !== '' ? value['kind'] : listKind;
    const items = value['items'];
    if (kind && (kind === 'List' || kind.endsWith('List')) && Array.isArray(items)) {
      const itemNodes = isMap(node) ? node.get('items', true) : undefined;
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      items.forEach((item, i) => {
        const itemNode = isSeq(itemNodes) ? (itemNodes.items[i] as Node | undefined) : undefined;
        collect(
          item,
          itemNode,
          [...path, 'items', i],
          itemNode?.range ? lineOf(itemNode.range[0]) : line,
          itemKind,
        );
      });
      return;
    }
    if (!kind) {
      problem(line, 'object without kind; skipped', pointer);
      return;
    }
    const metadata = isRecord(value['metadata']) ? value['metadata'] : {};
    const name = typeof metadata['name'] === 'string' ? metadata['name'].trim() : '';
    if (name === '') {
      const generated =
        typeof metadata['generateName'] === 'string'
          ? ' (only generateName, which the cluster completes)'
          : '';
      problem(line, `${kind} without metadata.name${generated}; skipped`, pointer);
      return;
    }
    const namespace =
      typeof metadata['namespace'] === 'string' && metadata['namespace'] !== ''
        ? metadata['namespace']
        : undefined;
    out.objects.push({
      kind,
      apiVersion: typeof value['apiVersion'] === 'string' ? value['apiVersion'] : undefined,
      name,
      namespace,
      labels: stringMap(metadata['labels']),
      annotations: stringMap(metadata['annotations']),
      body: value,
      foundIn: { file: file.path, line, ...(pointer ? { path: pointer } : {}) },
    });
  };

  docs.forEach((doc, i) => {
    const contents = doc.contents;
    const line = lineOf(contents?.range?.[0] ?? doc.range?.[0]);
    const where = docs.length > 1 ? ` in document ${i + 1}` : '';
    const error = doc.errors[0];
    if (error) {
      const at = error.linePos?.[0]?.line ?? line;
      const truncated = format === 'JSON' && error.pos[0] >= text.trimEnd().length - 1;
      const reason = truncated ? 'the document ends early (truncated?)' : yamlReason(error.message);
      problem(at, `invalid ${format}${where}: ${reason}; document skipped`);
      return;
    }
    if (isMap(contents)) objectSeen = true;
    if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === '')))
      return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      problem(
        line,
        `unreadable document${where}: ${err instanceof Error ? err.message : String(err)}; skipped`,
      );
      return;
    }
    collect(value, contents, [], line);
  });

  if (!objectSeen && format === 'YAML' && docProblems.length > 0) {
    // Nothing in the file even looked like an object: one problem says so instead of one per line.
    const first = docProblems[0];
    out.problems.push({
      file: file.path,
      line: first?.line,
      severity: 'error',
      reason: `not a Kubernetes manifest (YAML or JSON): ${first?.reason ?? 'no objects'}`,
    });
  } else {
    out.problems.push(...docProblems);
  }
  return out;
}
