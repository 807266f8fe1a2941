/**
 * What the history reader needs besides `git log`: the blobs of the HEAD tree (so a caller knows
 * which blobs exist only in history) and refs that point at a blob or a tree instead of a commit
 * (`git tag k <blob>`, as git.git's and linux's tree tags do), which `git log --all` walks past.
 */
import { gitComplaint, runGit } from './git-process.js';

export interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
  path: string;
}

/** Parses `git ls-tree -r -z` output (`<mode> <type> <oid>\t<path>\0`…); malformed entries are skipped. */
export function parseLsTree(output: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let from = 0;
  while (from < output.length) {
    let nul = output.indexOf(0, from);
    if (nul === -1) nul = output.length;
    const tab = output.indexOf(0x09, from);
    if (tab !== -1 && tab < nul) {
      const [mode = '', type = '', oid = ''] = output.toString('latin1', from, tab).split(' ');
      if (oid !== '') entries.push({ mode, type, oid, path: output.toString('utf8', tab + 1, nul) });
    }
    from = nul + 1;
  }
  return entries;
}

export interface TreeRead {
  entries: TreeEntry[];
  /** git's complaint when the tree could not be read completely. */
  problem: string | undefined;
}

/** Every entry of `treeish`, recursively; a missing tree-ish (an unborn HEAD) is an empty tree. */
export async function readTree(repo: string, treeish: string, signal?: AbortSignal): Promise<TreeRead> {
  const tree = await runGit(
    repo,
    ['rev-parse', '--verify', '--quiet', '--end-of-options', `${treeish}^{tree}`],
    signal,
  );
  const oid = tree.stdout.toString('latin1').trim();
  if (tree.code !== 0 || oid === '') return { entries: [], problem: undefined };
  const listing = await runGit(repo, ['ls-tree', '-r', '-z', '--full-tree', oid], signal);
  return {
    entries: parseLsTree(listing.stdout),
    problem: listing.code === 0 ? undefined : gitComplaint(listing.stderr, `git ls-tree ${treeish} failed`),
  };
}

export interface NonCommitRef {
  ref: string;
  /** The blob or tree the ref (or the annotated tag it names) points at. */
  oid: string;
  type: 'blob' | 'tree';
  /** `Name <email>` and ISO date of the tagger, for annotated tags; '' otherwise. */
  tagger: string;
  date: string;
}

/** Refs whose target (peeled once, through one annotated tag) is a blob or a tree. */
export async function nonCommitRefs(repo: string, signal?: AbortSignal): Promise<NonCommitRef[]> {
  const format =
    '%(objecttype) %(objectname) %(*objecttype) %(*objectname) %(refname)%00%(taggername) %(taggeremail)%00%(taggerdate:iso-strict)';
  const listing = await runGit(repo, ['for-each-ref', `--format=${format}`], signal);
  const refs: NonCommitRef[] = [];
  for (const line of listing.stdout.toString('utf8').split('\n')) {
    const [head = '', tagger = '', date = ''] = line.split('\0');
    const [type, oid, peeledType, peeledOid, ...name] = head.split(' ');
    const ref = name.join(' ');
    const target = type === 'tag' ? { type: peeledType, oid: peeledOid } : { type, oid };
    if ((target.type === 'blob' || target.type === 'tree') && target.oid && ref !== '') {
      refs.push({ ref, oid: target.oid, type: target.type, tagger: tagger.trim(), date });
    }
  }
  return refs;
}
