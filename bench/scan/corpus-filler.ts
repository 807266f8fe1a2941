/**
 * Secret-free filler in the shapes a repository holds (TypeScript, Python, Go, Java, Ruby, Rust,
 * shell, SQL, CSS, Markdown, YAML, JSON, logs), built from word lists so it reads like code but
 * contains nothing a scanner should report. The bulk of both corpora is this text: it is what a
 * scanner's throughput is measured on.
 */
import { HEX, type Rng } from './corpus-random.js';

const NOUNS = `account order invoice user session cart payment customer product report event queue
  message tenant project widget ledger shipment address profile team member role policy quota
  schedule job task batch record metric alert incident review comment thread upload asset`.split(/\s+/);
const VERBS = `get list create update delete load save find build parse render sync fetch apply
  resolve validate compute merge publish handle process format encode decode refresh`.split(/\s+/);
const ADJ = `active pending stale remote local cached primary default current next previous
  internal external visible hidden`.split(/\s+/);
const WORDS = `the a service returns when this that each request is are be to of and in for on
  with as by it from at or an will not should can if value field response data client server
  handler retries timeout error result config option limit page cursor`.split(/\s+/);

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const camel = (...p: string[]) => p[0] + p.slice(1).map(cap).join('');
const snake = (...p: string[]) => p.join('_');

function names(rng: Rng) {
  const noun = rng.pick(NOUNS);
  const verb = rng.pick(VERBS);
  const adj = rng.pick(ADJ);
  return { noun, verb, adj, Type: cap(noun), fn: camel(verb, adj, noun), py: snake(verb, adj, noun) };
}

export function sentence(rng: Rng, words = rng.between(6, 16)): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(rng.chance(0.3) ? rng.pick(NOUNS) : rng.pick(WORDS));
  return `${cap(out.join(' '))}.`;
}

function ts(rng: Rng): string {
  const n = names(rng);
  return `/** ${sentence(rng)} */
export interface ${n.Type}${cap(n.adj)} {
  id: string;
  ${n.noun}Count: number;
  ${n.adj}: boolean;
  updatedAt: Date;
}

export async function ${n.fn}(client: ApiClient, id: string, limit = ${rng.between(10, 500)}): Promise<${n.Type}${cap(n.adj)}[]> {
  const rows = await client.get(\`/v1/${n.noun}s/\${id}?limit=\${limit}\`);
  // ${sentence(rng)}
  return rows.filter((r) => r.${n.adj} && r.${n.noun}Count > ${rng.between(0, 9)}).map((r) => ({ ...r, updatedAt: new Date(r.updatedAt) }));
}
`;
}

function py(rng: Rng): string {
  const n = names(rng);
  return `

class ${n.Type}Service:
    """${sentence(rng)}"""

    def __init__(self, repo, retries=${rng.between(1, 5)}):
        self.repo = repo
        self.retries = retries

    def ${n.py}(self, ${n.noun}_id: str, limit: int = ${rng.between(10, 200)}) -> list:
        # ${sentence(rng)}
        rows = self.repo.query("SELECT * FROM ${n.noun}s WHERE id = %s LIMIT %s", (${n.noun}_id, limit))
        return [r for r in rows if r.get("${n.adj}")]
`;
}

function go(rng: Rng): string {
  const n = names(rng);
  return `
// ${cap(n.fn)} ${sentence(rng).toLowerCase()}
func (s *${n.Type}Store) ${cap(n.fn)}(ctx context.Context, id string) ([]${n.Type}, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, ${n.adj} FROM ${n.noun}s WHERE owner = $1 LIMIT ${rng.between(10, 300)}", id)
	if err != nil {
		return nil, fmt.Errorf("${n.verb} ${n.noun}s: %w", err)
	}
	defer rows.Close()
	var out []${n.Type}
	for rows.Next() {
		var v ${n.Type}
		if err := rows.Scan(&v.ID, &v.${cap(n.adj)}); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
`;
}

function java(rng: Rng): string {
  const n = names(rng);
  return `
    /** ${sentence(rng)} */
    public List<${n.Type}> ${n.fn}(String ownerId, int limit) {
        List<${n.Type}> result = new ArrayList<>();
        for (${n.Type} item : repository.findByOwner(ownerId, Math.min(limit, ${rng.between(50, 500)}))) {
            if (item.is${cap(n.adj)}()) {
                result.add(item);
            }
        }
        log.debug("${n.verb} {} ${n.noun}s for {}", result.size(), ownerId);
        return result;
    }
`;
}

function rb(rng: Rng): string {
  const n = names(rng);
  return `
  # ${sentence(rng)}
  def ${n.py}(owner, limit: ${rng.between(10, 100)})
    ${n.Type}.where(owner: owner, ${n.adj}: true).limit(limit).map do |record|
      record.as_json(only: %i[id ${n.adj} updated_at])
    end
  end
`;
}

function rs(rng: Rng): string {
  const n = names(rng);
  return `
/// ${sentence(rng)}
pub fn ${n.py}(items: &[${n.Type}], limit: usize) -> Vec<&${n.Type}> {
    items.iter().filter(|i| i.${n.adj} && i.count > ${rng.between(0, 9)}).take(limit).collect()
}
`;
}

function sh(rng: Rng): string {
  const n = names(rng);
  return `
# ${sentence(rng)}
${n.py}() {
  local target="\${1:-${n.noun}s}"
  echo "${n.verb} \${target}" >&2
  for f in "\${BUILD_DIR:-build}"/${n.noun}-*.json; do
    jq -r '.${n.adj} // empty' "$f" | sort -u
  done
}
`;
}

function sql(rng: Rng): string {
  const n = names(rng);
  return `
-- ${sentence(rng)}
CREATE TABLE IF NOT EXISTS ${n.noun}_${n.adj} (
  id BIGSERIAL PRIMARY KEY,
  owner_id BIGINT NOT NULL REFERENCES accounts(id),
  ${n.adj} BOOLEAN NOT NULL DEFAULT false,
  quantity INTEGER NOT NULL DEFAULT ${rng.between(0, 10)},
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS ${n.noun}_${n.adj}_owner_idx ON ${n.noun}_${n.adj} (owner_id);
`;
}

function css(rng: Rng): string {
  const n = names(rng);
  return `
.${n.noun}-${n.adj} {
  display: flex;
  margin: ${rng.between(0, 24)}px ${rng.between(0, 24)}px;
  color: #${rng.chars(HEX, 6)};
  border-radius: ${rng.between(2, 12)}px;
}
.${n.noun}-${n.adj}:hover { background: rgba(0, 0, 0, 0.${rng.between(1, 9)}); }
`;
}

function md(rng: Rng): string {
  const n = names(rng);
  return `
## ${cap(n.verb)} ${n.adj} ${n.noun}s

${sentence(rng)} ${sentence(rng)} ${sentence(rng)}

- \`${n.fn}()\`: ${sentence(rng, 8)}
- Limit: ${rng.between(10, 1000)} ${n.noun}s per page.
`;
}

function yaml(rng: Rng): string {
  const n = names(rng);
  return `${n.noun}:
  ${n.adj}: ${rng.chance(0.5)}
  replicas: ${rng.between(1, 8)}
  timeout_seconds: ${rng.between(5, 120)}
  endpoint: https://${n.noun}.internal.example.com/v${rng.between(1, 3)}
  labels:
    team: ${rng.pick(NOUNS)}
    tier: ${rng.pick(ADJ)}
`;
}

function json(rng: Rng): string {
  const n = names(rng);
  return `  "${n.noun}${cap(n.adj)}": { "enabled": ${rng.chance(0.5)}, "limit": ${rng.between(1, 999)}, "label": "${n.verb} ${n.noun}" },\n`;
}

function logLines(rng: Rng): string {
  let out = '';
  for (let i = 0; i < 8; i++) {
    const n = names(rng);
    const ts = new Date(Date.UTC(2026, 0, 1) + rng.int(86_400_000 * 90)).toISOString();
    out += `${ts} ${rng.pick(['INFO', 'INFO', 'INFO', 'WARN', 'DEBUG', 'ERROR'])} [${n.noun}-worker-${rng.between(1, 16)}] ${n.verb} ${n.noun} id=${rng.between(1000, 999999)} status=${rng.pick([200, 200, 201, 204, 404, 500])} duration_ms=${rng.between(1, 3000)} ip=10.${rng.int(255)}.${rng.int(255)}.${rng.int(255)}\n`;
  }
  return out;
}

export const FILLERS = { ts, py, go, java, rb, rs, sh, sql, css, md, yaml, json, log: logLines } as const;
export type FillerKind = keyof typeof FILLERS;

/** Filler of `kind` of roughly `bytes` bytes (at least one chunk). */
export function filler(rng: Rng, kind: FillerKind, bytes: number): string {
  const make = FILLERS[kind];
  const parts: string[] = [];
  let size = 0;
  do {
    const chunk = make(rng);
    parts.push(chunk);
    size += chunk.length;
  } while (size < bytes);
  return parts.join('');
}

/** A file header per kind, so filler files open like real ones. */
export function header(rng: Rng, kind: FillerKind): string {
  const n = names(rng);
  switch (kind) {
    case 'ts':
      return `import { ApiClient } from '../lib/api-client.js';\nimport type { Logger } from '../lib/logger.js';\n`;
    case 'py':
      return `"""${sentence(rng)}"""\nimport logging\nimport os\n\nlog = logging.getLogger(__name__)\n`;
    case 'go':
      return `package ${n.noun}\n\nimport (\n\t"context"\n\t"fmt"\n)\n`;
    case 'java':
      return `package com.acme.${n.noun};\n\nimport java.util.ArrayList;\nimport java.util.List;\n\npublic class ${n.Type}Service {\n`;
    case 'rb':
      return `# frozen_string_literal: true\n\nclass ${n.Type}Query\n`;
    case 'rs':
      return `use std::collections::HashMap;\n\npub struct ${n.Type} { pub id: u64, pub ${n.adj}: bool, pub count: u32 }\n`;
    case 'sh':
      return `#!/usr/bin/env bash\nset -euo pipefail\n`;
    case 'md':
      return `# ${cap(n.noun)} ${n.adj}\n\n${sentence(rng)}\n`;
    case 'json':
      return '{\n';
    default:
      return '';
  }
}

export function footer(kind: FillerKind): string {
  if (kind === 'java' || kind === 'rb') return kind === 'java' ? '}\n' : 'end\n';
  if (kind === 'json') return '  "version": 1\n}\n';
  return '';
}

export const EXTENSIONS: Record<FillerKind, string> = {
  ts: 'ts',
  py: 'py',
  go: 'go',
  java: 'java',
  rb: 'rb',
  rs: 'rs',
  sh: 'sh',
  sql: 'sql',
  css: 'css',
  md: 'md',
  yaml: 'yaml',
  json: 'json',
  log: 'log',
};

export const nameParts = names;
