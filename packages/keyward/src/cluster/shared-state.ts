/**
 * In-memory state kept alike in every process of a cluster by replaying each other's changes from
 * the bus: the decision history counts (rate rules must count decisions made by every worker, not
 * only the one that happens to get the request) and the lineage graph (inventory services update it
 * after commit in the process that made the change). Replay is asynchronous: another process sees a
 * change a few milliseconds later, which rate thresholds and graph queries tolerate; the database
 * stays the truth for everything that must be exact (revocation, task state, approvals).
 */
import type { HistoryCounters } from '../authz/history-counters.js';
import type { GraphUpdates } from '../graph/graph-updates.js';
import type { ClusterBus } from './cluster-bus.js';

export function sharedHistoryCounters(local: HistoryCounters, bus: ClusterBus): HistoryCounters {
  if (!bus.clustered) return local;
  bus.on('history', (m) => {
    for (const [key, at] of m.adds) local.add(key, at);
  });
  return {
    add(key, at) {
      local.add(key, at);
      bus.publish({ t: 'history', adds: [[key, at]] });
    },
    count: (key, minutes, at) => local.count(key, minutes, at),
    size: () => local.size(),
  };
}

export function sharedGraph(local: GraphUpdates, bus: ClusterBus): GraphUpdates {
  if (!bus.clustered) return local;
  bus.on('graph', (m) => {
    for (const op of m.ops) {
      if (op[0] === 'node') local.upsertNode(op[1]);
      else if (op[0] === 'add-edge') local.addEdge(op[1]);
      else local.removeEdge(op[1]);
    }
  });
  return {
    upsertNode(node) {
      local.upsertNode(node);
      bus.publish({ t: 'graph', ops: [['node', node]] });
    },
    addEdge(edge) {
      local.addEdge(edge);
      bus.publish({ t: 'graph', ops: [['add-edge', edge]] });
    },
    removeEdge(edge) {
      local.removeEdge(edge);
      bus.publish({ t: 'graph', ops: [['remove-edge', edge]] });
    },
  };
}
