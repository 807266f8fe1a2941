/**
 * Evaluates Cedar requests in this thread with cedar-wasm's preparsed (stateful) API: the schema
 * and each policy set are parsed once per thread and then referred to by id. Fail closed: a request
 * Cedar cannot evaluate (unknown entity type or action, an attribute of the wrong type, a policy
 * that errors) is a deny, with Cedar's message as the reason.
 */
import { setFlagsFromString } from 'node:v8';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { SCHEMA_NAME, schemaText } from './cedar-schema.js';

/**
 * Node 20's V8 inlines JS→Wasm calls into optimized callers, and lazily deoptimizing such a caller
 * while the call is on the stack can kill the process ("Fatal error … unreachable code" in
 * Deoptimizer::DoComputeBuiltinContinuation). Under decision load that happened in about half of
 * our profiled HTTP bench runs (the evaluate → statefulIsAuthorized → wasm frames), and in none of
 * eight with the inlining off, at no measurable cost. Flags are process-wide and read when code is
 * optimized, so this is set as soon as the Cedar binding is loaded, before anything calls it.
 */
setFlagsFromString('--no-turbo-inline-js-wasm-calls');

export interface CedarRequest {
  principal: cedar.TypeAndId;
  action: cedar.TypeAndId;
  resource: cedar.TypeAndId;
  context: cedar.Context;
  entities: cedar.EntityJson[];
}

export interface Evaluation {
  decision: 'allow' | 'deny';
  /** The determining policies: the permits that allowed, or the forbids that denied. */
  reasons: string[];
  /** Why Cedar could not decide (each is a deny). */
  errors: string[];
}

export interface CedarEvaluator {
  /** Makes `policies` available under `id` (idempotent). Throws when the set does not parse. */
  load(id: string, policies: Record<string, string>): void;
  evaluate(id: string, request: CedarRequest): Evaluation | Promise<Evaluation>;
  close?(): Promise<void>;
}

const messages = (errors: Array<{ message: string }>): string[] => errors.map((e) => e.message);

/** One thread's cedar-wasm state: the schema, and the sets loaded into it (an empty set denies). */
export function createCedarThread() {
  const preparsed = cedar.preparseSchema(SCHEMA_NAME, schemaText());
  if (preparsed.type === 'failure')
    throw new Error(`keyward.cedarschema: ${messages(preparsed.errors).join('; ')}`);
  const empty = new Set<string>();
  const loaded = new Set<string>();
  return {
    load(id: string, policies: Record<string, string>): void {
      if (loaded.has(id)) return;
      if (Object.keys(policies).length === 0) empty.add(id);
      else {
        const answer = cedar.preparsePolicySet(id, { staticPolicies: policies });
        if (answer.type === 'failure') throw new Error(messages(answer.errors).join('; '));
      }
      loaded.add(id);
    },
    evaluate(id: string, request: CedarRequest): Evaluation {
      if (empty.has(id)) return { decision: 'deny', reasons: [], errors: [] };
      if (!loaded.has(id))
        return { decision: 'deny', reasons: [], errors: [`policy set ${id} is not loaded`] };
      const answer = cedar.statefulIsAuthorized({
        ...request,
        preparsedPolicySetId: id,
        preparsedSchemaName: SCHEMA_NAME,
        validateRequest: true,
      });
      if (answer.type === 'failure')
        return { decision: 'deny', reasons: [], errors: messages(answer.errors) };
      const { decision, diagnostics } = answer.response;
      if (diagnostics.errors.length > 0) {
        const errors = diagnostics.errors.map((e) => `policy ${e.policyId}: ${e.error.message}`);
        return { decision: 'deny', reasons: diagnostics.errors.map((e) => e.policyId), errors };
      }
      return { decision, reasons: diagnostics.reason, errors: [] };
    },
  };
}

export function createLocalEvaluator(): CedarEvaluator {
  const thread = createCedarThread();
  return { load: thread.load, evaluate: thread.evaluate };
}
