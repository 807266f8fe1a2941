/**
 * Record ids: a type prefix and a UUIDv7. The prefix tells a graph endpoint's record type without a
 * lookup; UUIDv7 is time-ordered, so ordering by id is ordering by creation and makes keyset
 * (cursor) pagination stable.
 */

import type { NodeType } from '@keyward/sdk';
import { v7 as uuidv7 } from 'uuid';

export const ID_PREFIX = {
  identity: 'nhi_',
  human: 'hum_',
  resource: 'res_',
  system: 'sys_',
  edge: 'edg_',
  apiToken: 'tok_',
  auditEvent: 'evt_',
  lease: 'lea_',
  federationIssuer: 'fed_',
  task: 'tsk_',
  revocationEvent: 'rvk_',
  approval: 'apr_',
  alert: 'alr_',
  credential: 'crd_',
  finding: 'fnd_',
  discoveryRun: 'run_',
  offboardingCase: 'off_',
  accessReview: 'rev_',
  rotation: 'rot_',
} as const;
export type IdKind = keyof typeof ID_PREFIX;

export function newId(kind: IdKind): string {
  return ID_PREFIX[kind] + uuidv7().replaceAll('-', '');
}

/** The graph node type an id names, or undefined when the id is not a graph node's. */
export function nodeTypeOf(id: string): NodeType | undefined {
  switch (id.slice(0, 4)) {
    case ID_PREFIX.identity:
      return 'identity';
    case ID_PREFIX.human:
      return 'human';
    case ID_PREFIX.resource:
      return 'resource';
    case ID_PREFIX.system:
      return 'system';
    default:
      return undefined;
  }
}

const ID_SHAPE =
  /^(nhi|hum|res|sys|edg|tok|evt|lea|fed|tsk|rvk|apr|alr|crd|fnd|run|off|rev|rot)_[0-9a-f]{32}$/;
export function isWellFormedId(id: string): boolean {
  return ID_SHAPE.test(id);
}
