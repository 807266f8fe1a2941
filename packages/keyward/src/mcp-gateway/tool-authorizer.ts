/**
 * Asks Keyward about tools, in the contract's terms: action `call_tool`, resource
 * `{type: 'tool', id: '<server>/<tool>', properties: {server, name, annotations}}`, the agent's
 * access token as the subject. Listing sends one batch with `context: {listing: true}` and hides
 * only tools whose outcome is `deny`; a call sends its arguments. A call that needs approval is
 * held (the approval polled until decided, then the call re-authorized) or refused at once with the
 * approval id, per config. Anything unexpected refuses: the gateway fails closed.
 */
import type { AuthorizeDecision, AuthorizeResource, KeywardClient } from '@keyward/sdk';
import type { RoutedTool } from './upstream-pool.js';

export interface ApprovalWaitPolicy {
  mode: 'hold' | 'fail';
  timeoutMs: number;
  pollIntervalMs: number;
}

export interface ToolAuthorizerDeps {
  keyward: Pick<KeywardClient, 'authorize' | 'authorizeBatch' | 'getApproval'>;
  approvals: ApprovalWaitPolicy;
}

export type CallVerdict =
  | { ok: true; decision: AuthorizeDecision; approvalId: string | undefined }
  | { ok: false; message: string; decision: AuthorizeDecision | undefined; approvalId: string | undefined };

export const toolResource = (route: RoutedTool): AuthorizeResource => ({
  type: 'tool',
  id: `${route.server}/${route.tool.name}`,
  properties: { server: route.server, name: route.tool.name, annotations: { ...route.tool.annotations } },
});

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });

export function createToolAuthorizer(deps: ToolAuthorizerDeps) {
  const { keyward, approvals } = deps;
  const action = { name: 'call_tool' };

  /** The tools the agent may see: all but those denied outright. */
  async function visibleTools(token: string, routes: RoutedTool[]): Promise<RoutedTool[]> {
    if (routes.length === 0) return [];
    const { evaluations } = await keyward.authorizeBatch({
      subject: { type: 'token', id: token },
      action,
      context: { listing: true },
      evaluations: routes.map((r) => ({ resource: toolResource(r) })),
    });
    if (evaluations.length !== routes.length) throw new Error('authorize/batch answered a different count');
    return routes.filter((_, i) => evaluations[i]!.context.outcome !== 'deny');
  }

  const decide = (token: string, route: RoutedTool, args: Record<string, unknown> | undefined) =>
    keyward.authorize({
      subject: { type: 'token', id: token },
      action,
      resource: toolResource(route),
      context: { arguments: args ?? {} },
    });

  const refuse = (message: string, decision?: AuthorizeDecision, approvalId?: string): CallVerdict => ({
    ok: false,
    message,
    decision,
    approvalId,
  });

  /** Waits for a human's decision on `approvalId`: its final status, or 'timeout'/'cancelled'. */
  async function awaitDecision(approvalId: string, signal: AbortSignal | undefined): Promise<string> {
    const deadline = Date.now() + approvals.timeoutMs;
    for (;;) {
      const approval = await keyward.getApproval(approvalId);
      if (approval.status !== 'pending') return approval.status;
      if (signal?.aborted) return 'cancelled';
      const left = deadline - Date.now();
      if (left <= 0) return 'timeout';
      await sleep(Math.min(approvals.pollIntervalMs, left), signal);
    }
  }

  async function authorizeCall(
    token: string,
    route: RoutedTool,
    args: Record<string, unknown> | undefined,
    o: { signal?: AbortSignal | undefined; onWaiting?: ((approvalId: string) => void) | undefined } = {},
  ): Promise<CallVerdict> {
    const name = `${route.server}/${route.tool.name}`;
    const first = await decide(token, route, args);
    const { outcome, reason, approval_id: approvalId } = first.context;
    if (first.decision && outcome === 'allow') return { ok: true, decision: first, approvalId: undefined };
    if (outcome !== 'approval_required' || !approvalId) {
      return refuse(`Keyward denied ${name}: ${reason || 'no policy allows it'}`, first);
    }
    if (approvals.mode === 'fail') {
      return refuse(
        `${name} needs a human's approval first: approval ${approvalId} is pending; retry the same call once it is approved`,
        first,
        approvalId,
      );
    }
    o.onWaiting?.(approvalId);
    const status = await awaitDecision(approvalId, o.signal);
    if (status !== 'approved') {
      const why =
        status === 'timeout'
          ? `no decision within ${Math.round(approvals.timeoutMs / 1000)} s`
          : status === 'cancelled'
            ? 'the call was cancelled while waiting'
            : `the approval was ${status}`;
      return refuse(`${name} was not approved (approval ${approvalId}): ${why}`, first, approvalId);
    }
    const second = await decide(token, route, args);
    if (second.decision && second.context.outcome === 'allow')
      return { ok: true, decision: second, approvalId };
    return refuse(
      `Keyward denied ${name} after approval ${approvalId}: ${second.context.reason || second.context.outcome}`,
      second,
      approvalId,
    );
  }

  return { visibleTools, authorizeCall };
}

export type ToolAuthorizer = ReturnType<typeof createToolAuthorizer>;
