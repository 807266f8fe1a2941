/**
 * The decision API's service (`POST /v1/authorize`, the batch form, the MCP gateway): resolves the
 * subject and resource, denies requests outside the token's task scopes or environment before Cedar
 * (recorded as `authz.escalation`), asks the engine, consults the approval gate for approvable
 * denies, feeds the history counters, and records every decision as an audit event through the
 * group-commit AuditWriter. A decision is answered only once its audit event is durable; if it
 * cannot be written the answer is a deny (fail closed).
 */

import type { ApprovalBinding, ApprovalGate } from '../approvals/approval-types.js';
import { argumentsHash } from '../approvals/arguments-hash.js';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { AuditEvent, AuditEventInput, AuditSource } from '../audit/audit-types.js';
import { resourceWithin, scopeToString } from '../tasks/task-scopes.js';
import {
  type DecisionContext,
  decisionContext,
  historyCounts,
  historyKeys,
  type RequestFacts,
} from './decision-context.js';
import type { DecisionEngine, EngineDecision } from './decision-engine.js';
import { type EntityCatalog, type EntitySlice, type ToolProperties, toolSlice } from './entity-catalog.js';
import type { HistoryCounters } from './history-counters.js';
import type { AuthzenSubject, ResolvedSubject, SubjectResolver } from './subject-resolver.js';

export interface AuthzenResource {
  type: 'resource' | 'system' | 'identity' | 'tool';
  id: string;
  properties?: Record<string, unknown> | undefined;
}

export interface AuthzenRequest {
  subject: AuthzenSubject;
  action: { name: string; properties?: Record<string, unknown> | undefined };
  resource: AuthzenResource;
  context?: Record<string, unknown> | undefined;
}

export type Outcome = 'allow' | 'deny' | 'approval_required';

export interface AuthorizeResponse {
  decision: boolean;
  context: {
    outcome: Outcome;
    decision_id: string;
    policy_ids: string[];
    obligations: unknown[];
    reason: string;
    approval_id?: string;
    escalation?: true;
  };
}

export interface AuthorizeServiceDeps {
  engine: DecisionEngine;
  catalog: EntityCatalog;
  resolveSubject: SubjectResolver;
  approvals: ApprovalGate;
  counters: HistoryCounters;
  clock: (at: Date) => { hour: number; weekday: number };
  audit: AuditRecorder;
  writer: { append(event: AuditEventInput): Promise<AuditEvent> };
  now: () => Date;
  onError: (err: unknown, context: string) => void;
}

/** A decision before it is recorded. */
interface Decided {
  outcome: Outcome;
  policyIds: string[];
  reason: string;
  approvalId?: string;
  escalation?: boolean;
  cached?: boolean;
  subject?: ResolvedSubject;
  resource?: EntitySlice;
  context?: DecisionContext;
}

export const cedarUid = (slice: EntitySlice): string => `${slice.uid.type}::${JSON.stringify(slice.uid.id)}`;

function str(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 512) : '';
}

export function createAuthorizeService(deps: AuthorizeServiceDeps) {
  async function resourceOf(r: AuthzenResource): Promise<EntitySlice | undefined> {
    if (r.type === 'tool') return toolSlice(r.id, (r.properties ?? {}) as ToolProperties);
    return deps.catalog.get(r.type, r.id);
  }

  /** Whether the request lies within the scopes and, for a resource with one, the task's environment. */
  function scopeCheck(s: ResolvedSubject, action: string, resource: EntitySlice): string | undefined {
    if (!s.task || !s.scopes) return undefined;
    const covered = s.scopes.some(
      (scope) => scope.action === action && resource.names.some((n) => resourceWithin(n, scope.resource)),
    );
    if (!covered) {
      return `${action} on ${resource.names.at(-1)} is outside the task's scopes (${s.scopes.map(scopeToString).join(' ')})`;
    }
    if (resource.environment && resource.environment !== s.task.environment) {
      return `${resource.names.at(-1)} is in ${resource.environment}, outside the task's environment ${s.task.environment}`;
    }
    return undefined;
  }

  /** Opens (or finds the pending) approval; a gate that cannot is a deny with its reason, not a 500. */
  async function openApproval(
    binding: ApprovalBinding,
    info: Parameters<ApprovalGate['open']>[1],
  ): Promise<{ ok: true; id: string } | { ok: false; why: string }> {
    try {
      return { ok: true, id: (await deps.approvals.open(binding, info)).id };
    } catch (err) {
      deps.onError(err, 'opening an approval');
      return { ok: false, why: err instanceof Error ? err.message : String(err) };
    }
  }

  async function approvalStep(
    d: EngineDecision,
    s: ResolvedSubject,
    action: string,
    resource: EntitySlice,
    ctx: DecisionContext,
  ): Promise<Decided> {
    const principal = s.principal;
    const base = { subject: s, resource, context: ctx, policyIds: d.policyIds };
    const binding: ApprovalBinding = {
      principal: cedarUid(principal),
      action: `Keyward::Action::${JSON.stringify(action)}`,
      resource: cedarUid(resource),
      argumentsHash: argumentsHash(ctx.arguments),
    };
    const granted = await deps.approvals.findGranted(binding, deps.now());
    if (granted) {
      const lifted = await deps.engine.decideApproved(principal, action, resource, ctx);
      return {
        ...base,
        outcome: lifted.decision,
        policyIds: lifted.policyIds,
        reason: lifted.decision === 'allow' ? `approved (${granted.id}); ${lifted.reason}` : lifted.reason,
        approvalId: granted.id,
      };
    }
    // tools/list filtering only asks whether a tool may be shown; it opens no approval.
    if (ctx.listing) return { ...base, outcome: 'approval_required', reason: d.reason };
    const approvers = [s.task?.sponsorId ?? principal.ownerId].filter(
      (id): id is string => typeof id === 'string' && id !== principal.id,
    );
    if (approvers.length === 0) {
      return {
        ...base,
        outcome: 'deny',
        reason: `${d.reason}, but there is no sponsor or owner to approve it`,
      };
    }
    const opened = await openApproval(binding, {
      requesterId: principal.id,
      taskId: s.task?.id ?? null,
      approverIds: approvers,
      policyIds: d.policyIds,
      reason: `${principal.names.at(-1)} wants to ${action} ${resource.names.at(-1)}: ${d.reason}`,
      delegationChain: s.delegationChain,
    });
    if (!opened.ok)
      return {
        ...base,
        outcome: 'deny',
        reason: `${d.reason}, but no approval could be opened (${opened.why})`,
      };
    return { ...base, outcome: 'approval_required', reason: d.reason, approvalId: opened.id };
  }

  async function decide(req: AuthzenRequest, at: Date): Promise<Decided> {
    const resolved = await deps.resolveSubject(req.subject);
    if (!resolved.ok) return { outcome: 'deny', policyIds: [], reason: resolved.reason };
    const s = resolved.subject;
    const action = req.action.name;
    const resource = await resourceOf(req.resource);
    if (!resource) {
      return {
        outcome: 'deny',
        policyIds: [],
        reason: `unknown ${req.resource.type} ${JSON.stringify(req.resource.id)}`,
        subject: s,
      };
    }
    const c = req.context ?? {};
    const source = (c.source ?? {}) as Record<string, unknown>;
    const args = c.arguments as Record<string, unknown> | undefined;
    const outside = scopeCheck(s, action, resource);
    const facts: RequestFacts = {
      environment: s.task?.environment ?? resource.environment ?? s.principal.environment ?? '',
      // Sorted keys: see decisionContext.
      task: s.task
        ? {
            environment: s.task.environment,
            id: s.task.id,
            in_scope: outside === undefined,
            intent: s.task.intent,
            scopes: (s.scopes ?? []).map(scopeToString),
            sponsor: s.task.sponsorId,
          }
        : null,
      delegationChain: s.delegationChain,
      sourceIp: str(source.ip),
      userAgent: str(source.userAgent),
      subjectType: req.subject.type,
      listing: c.listing === true,
      arguments: args && typeof args === 'object' && !Array.isArray(args) ? args : undefined,
    };
    const keys = historyKeys(s.principal, action, resource);
    const ctx = decisionContext(facts, deps.clock(at), historyCounts(deps.counters, keys, at.getTime()));
    ctx.delegation_depth = s.depth;
    if (outside !== undefined) {
      return {
        outcome: 'deny',
        policyIds: [],
        reason: outside,
        escalation: !facts.listing,
        subject: s,
        resource,
        context: ctx,
      };
    }
    const d = await deps.engine.decide(s.principal, action, resource, ctx);
    if (d.decision === 'deny' && d.approvable) return approvalStep(d, s, action, resource, ctx);
    return {
      outcome: d.decision,
      policyIds: d.policyIds,
      reason: d.reason,
      cached: d.cached,
      subject: s,
      resource,
      context: ctx,
    };
  }

  function feedHistory(d: Decided, action: string, at: number): void {
    if (!d.subject || !d.resource) return;
    const keys = historyKeys(d.subject.principal, action, d.resource);
    if (d.outcome === 'allow') {
      deps.counters.add(keys.sameClass, at);
      deps.counters.add(keys.sameResource, at);
      deps.counters.add(keys.all, at);
    } else if (d.outcome === 'deny') {
      deps.counters.add(keys.denied, at);
    }
  }

  function auditEvent(req: AuthzenRequest, d: Decided, source: AuditSource | null): AuditEventInput {
    const s = d.subject;
    const tool = d.resource?.kind === 'tool';
    const resourceId = d.resource?.id ?? req.resource.id;
    // What `policy diff` replays: never the subject token itself. Every object is built with its
    // keys in sorted order, so the audit's canonical JSON is a plain JSON.stringify of it.
    const resource: Record<string, unknown> = { id: resourceId };
    if (tool) resource.properties = req.resource.properties ?? {};
    resource.type = req.resource.type;
    const request: Record<string, unknown> = { action: req.action.name };
    if (d.context) request.context = d.context;
    request.resource = resource;
    request.subject = s ? { id: s.principal.id, type: s.principal.kind } : { type: req.subject.type };
    request.subjectType = req.subject.type;
    const details: Record<string, unknown> = {};
    if (d.approvalId) details.approvalId = d.approvalId;
    if (d.cached) details.cached = true;
    details.outcome = d.outcome;
    details.reason = d.reason;
    details.request = request;
    const event = deps.audit.event(
      s?.principal.id ?? 'unknown',
      d.escalation ? 'authz.escalation' : 'authz.decision',
      resourceId,
      details,
      d.outcome === 'allow' ? 'success' : 'denied',
    );
    event.action = tool ? (d.resource?.names.at(-1) ?? req.action.name) : req.action.name;
    event.delegationChain = s?.delegationChain ?? [];
    event.taskId = s?.task?.id ?? null;
    event.policyIds = d.policyIds;
    event.source = source;
    return event;
  }

  async function authorize(
    req: AuthzenRequest,
    source: AuditSource | null = null,
  ): Promise<AuthorizeResponse> {
    const at = deps.now();
    let d: Decided;
    try {
      d = await decide(req, at);
    } catch (err) {
      deps.onError(err, 'authorize');
      d = { outcome: 'deny', policyIds: [], reason: 'the decision failed; denied (fail closed)' };
    }
    feedHistory(d, req.action.name, at.getTime());
    const event = auditEvent(req, d, source);
    try {
      await deps.writer.append(event);
    } catch (err) {
      deps.onError(err, 'recording a decision');
      d = {
        outcome: 'deny',
        policyIds: [],
        reason: 'the decision could not be recorded; denied (fail closed)',
      };
    }
    return {
      decision: d.outcome === 'allow',
      context: {
        outcome: d.outcome,
        decision_id: event.id,
        policy_ids: d.policyIds,
        obligations: [],
        reason: d.reason,
        ...(d.approvalId && d.outcome === 'approval_required' ? { approval_id: d.approvalId } : {}),
        ...(d.escalation ? { escalation: true as const } : {}),
      },
    };
  }

  return { authorize };
}

export type AuthorizeService = ReturnType<typeof createAuthorizeService>;
