/**
 * Cedar evaluation on worker threads, so the HTTP server's decisions use more than one core: the
 * main thread parses HTTP, verifies tokens, looks up entities and the decision cache and writes the
 * audit; cache misses are evaluated by the least busy worker. Each worker holds its own preparsed
 * schema and policy sets (loads are broadcast). The worker is a small CommonJS script evaluated
 * from a string, so it runs the same under tsx/vitest (src) and from dist.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { CedarEvaluator, CedarRequest, Evaluation } from './cedar-evaluator.js';
import { SCHEMA_NAME, schemaText } from './cedar-schema.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const cedar = require(workerData.cedarPath);
const prepared = cedar.preparseSchema(workerData.schemaName, workerData.schema);
if (prepared.type === 'failure') throw new Error('schema: ' + prepared.errors.map((e) => e.message).join('; '));
const empty = new Set();
const loaded = new Set();
function evaluate(id, request) {
  if (empty.has(id)) return { decision: 'deny', reasons: [], errors: [] };
  if (!loaded.has(id)) return { decision: 'deny', reasons: [], errors: ['policy set ' + id + ' is not loaded'] };
  const answer = cedar.statefulIsAuthorized(Object.assign({}, request, {
    preparsedPolicySetId: id, preparsedSchemaName: workerData.schemaName, validateRequest: true,
  }));
  if (answer.type === 'failure') return { decision: 'deny', reasons: [], errors: answer.errors.map((e) => e.message) };
  const d = answer.response.diagnostics;
  if (d.errors.length > 0) {
    return { decision: 'deny', reasons: d.errors.map((e) => e.policyId),
      errors: d.errors.map((e) => 'policy ' + e.policyId + ': ' + e.error.message) };
  }
  return { decision: answer.response.decision, reasons: d.reason, errors: [] };
}
parentPort.on('message', (m) => {
  if (m.type === 'load') {
    if (Object.keys(m.policies).length === 0) empty.add(m.id);
    else {
      const r = cedar.preparsePolicySet(m.id, { staticPolicies: m.policies });
      if (r.type === 'failure') return;
    }
    loaded.add(m.id);
    return;
  }
  let result;
  try { result = evaluate(m.id, m.request); }
  catch (err) { result = { decision: 'deny', reasons: [], errors: ['evaluation failed: ' + String(err)] }; }
  parentPort.postMessage({ seq: m.seq, result });
});
`;

interface Slot {
  worker: Worker;
  pending: Map<number, (e: Evaluation) => void>;
}

export function createEvaluatorPool(size: number, fallback: CedarEvaluator): CedarEvaluator {
  const cedarPath = createRequire(import.meta.url).resolve('@cedar-policy/cedar-wasm/nodejs');
  const workerData = { cedarPath, schemaName: SCHEMA_NAME, schema: schemaText() };
  let seq = 0;
  const slots: Slot[] = [];
  for (let i = 0; i < size; i++) {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (m: { seq: number; result: Evaluation }) => {
      const resolve = slot.pending.get(m.seq);
      slot.pending.delete(m.seq);
      resolve?.(m.result);
    });
    // A crashed worker fails its requests closed; later requests go to the others or run locally.
    worker.on('error', () => failAll(slot, 'evaluation worker failed'));
    worker.on('exit', () => {
      failAll(slot, 'evaluation worker exited');
      slots.splice(slots.indexOf(slot), 1);
    });
    worker.unref();
    slots.push(slot);
  }

  function failAll(slot: Slot, why: string): void {
    for (const resolve of slot.pending.values()) resolve({ decision: 'deny', reasons: [], errors: [why] });
    slot.pending.clear();
  }

  return {
    load(id, policies) {
      fallback.load(id, policies);
      for (const s of slots) s.worker.postMessage({ type: 'load', id, policies });
    },
    evaluate(id, request: CedarRequest) {
      let best: Slot | undefined;
      for (const s of slots) if (!best || s.pending.size < best.pending.size) best = s;
      if (!best) return fallback.evaluate(id, request);
      const slot = best;
      const n = ++seq;
      return new Promise<Evaluation>((resolve) => {
        slot.pending.set(n, resolve);
        slot.worker.postMessage({ type: 'eval', seq: n, id, request });
      });
    },
    async close() {
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
