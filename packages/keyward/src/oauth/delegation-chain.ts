/**
 * The `act` delegation chain of RFC 8693 §4.1: the current actor is the outermost `act`, each
 * earlier actor nested inside the one after it: `act: {sub: subAgent, act: {sub: agent}}`.
 */
export interface DelegationActor {
  sub: string;
  act?: DelegationActor;
}

/** How many actors a chain holds (0 for none). */
export function chainDepth(act: DelegationActor | undefined): number {
  let depth = 0;
  for (let a = act; a; a = a.act) depth++;
  return depth;
}

/** The chain with `actor` as the newest (outermost) actor. */
export const withActor = (actor: string, previous: DelegationActor | undefined): DelegationActor =>
  previous ? { sub: actor, act: previous } : { sub: actor };

/** Every actor's sub, newest first. */
export function chainActors(act: DelegationActor | undefined): string[] {
  const subs: string[] = [];
  for (let a = act; a; a = a.act) subs.push(a.sub);
  return subs;
}

/** Whether a claim value is a well-formed chain (only `sub` strings, bounded depth). */
export function isDelegationChain(value: unknown, maxDepth = 32): value is DelegationActor {
  let a = value as DelegationActor | undefined;
  for (let i = 0; a !== undefined; i++) {
    if (i >= maxDepth || typeof a !== 'object' || a === null || typeof a.sub !== 'string') return false;
    a = a.act;
  }
  return true;
}
