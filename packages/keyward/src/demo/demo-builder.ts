/**
 * EstateBuilder: the mutable workspace the demo generator fills — a seeded PRNG (mulberry32, so the
 * same seed gives the same estate), times relative to `now`, and record factories that fill every
 * field of the wire types and keep edges unique per (kind, from, to).
 */
import type {
  CredentialMeta,
  Edge,
  EdgeKind,
  Human,
  Identity,
  IdentityKind,
  Resource,
  SecretLocation,
  Sensitivity,
  System,
} from '@keyward/sdk';
import { newId } from '../ids.js';

export interface DemoEstate {
  humans: Human[];
  systems: System[];
  resources: Resource[];
  identities: Identity[];
  edges: Edge[];
}

export interface IdentitySpec {
  name: string;
  kind: IdentityKind;
  environment: string;
  origin: string;
  owner?: Human | undefined;
  purpose?: string | undefined;
  businessSystem?: string | undefined;
  originExternalId?: string | undefined;
  credential?: CredentialMeta | undefined;
  reviewDate?: string | undefined;
  status?: Identity['status'] | undefined;
  labels?: Record<string, string> | undefined;
  /** Days since first seen. */
  ageDays?: number | undefined;
  /** Days since last seen; undefined = never seen. */
  lastSeenDaysAgo?: number | undefined;
}

const DAY = 86_400_000;

export class EstateBuilder implements DemoEstate {
  readonly humans: Human[] = [];
  readonly systems: System[] = [];
  readonly resources: Resource[] = [];
  readonly identities: Identity[] = [];
  readonly edges: Edge[] = [];
  private readonly edgeKeys = new Set<string>();
  private state: number;

  constructor(
    seed: number,
    readonly now: Date,
  ) {
    this.state = seed >>> 0;
  }

  /** mulberry32: tiny, fast, good enough for demo data, and fully determined by the seed. */
  random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.random() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new TypeError('pick from an empty list');
    return item;
  }

  /** ISO time `days` before now (negative = in the future). */
  ago(days: number): string {
    return new Date(this.now.getTime() - days * DAY).toISOString();
  }

  human(email: string, name: string, title: string, active = true): Human {
    const at = this.ago(this.int(400, 1500));
    const human: Human = {
      id: newId('human'),
      email,
      name,
      active,
      title,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    this.humans.push(human);
    return human;
  }

  system(name: string, sensitivity: Sensitivity, owner: Human, description: string): System {
    const at = this.ago(this.int(300, 1200));
    const system: System = {
      id: newId('system'),
      name,
      sensitivity,
      ownerId: owner.id,
      description,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    this.systems.push(system);
    return system;
  }

  resource(
    name: string,
    kind: string,
    sensitivity: Sensitivity,
    system: System | null,
    environment: string | null,
    labels: Record<string, string> = {},
  ): Resource {
    const at = this.ago(this.int(200, 1000));
    const resource: Resource = {
      id: newId('resource'),
      name,
      kind,
      systemId: system?.id ?? null,
      environment,
      sensitivity,
      labels,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    this.resources.push(resource);
    return resource;
  }

  identity(spec: IdentitySpec): Identity {
    const firstSeen = this.ago(spec.ageDays ?? this.int(30, 900));
    const identity: Identity = {
      id: newId('identity'),
      name: spec.name,
      kind: spec.kind,
      ownerId: spec.owner?.id ?? null,
      purpose: spec.purpose ?? null,
      environment: spec.environment,
      businessSystem: spec.businessSystem ?? null,
      origin: spec.origin,
      originExternalId: spec.originExternalId ?? null,
      secretLocations: [],
      credential: spec.credential ?? {},
      reviewDate: spec.reviewDate ?? null,
      status: spec.status ?? 'active',
      labels: spec.labels ?? {},
      firstSeen,
      lastSeen: spec.lastSeenDaysAgo === undefined ? null : this.ago(spec.lastSeenDaysAgo),
      createdAt: firstSeen,
      updatedAt: this.ago(this.int(0, 30)),
      version: 1,
    };
    this.identities.push(identity);
    if (spec.owner) this.edge('owns', spec.owner.id, identity.id);
    return identity;
  }

  /** Adds an edge unless the same (kind, from, to) exists; returns whether it was added. */
  edge(kind: EdgeKind, fromId: string, toId: string, actions: string[] = []): boolean {
    const key = `${kind}|${fromId}|${toId}`;
    if (this.edgeKeys.has(key)) return false;
    this.edgeKeys.add(key);
    const at = this.ago(this.int(0, 300));
    this.edges.push({
      id: newId('edge'),
      kind,
      fromId,
      toId,
      actions: kind === 'has_permission' ? actions : [],
      createdAt: at,
    });
    return true;
  }

  /** Records where the identity's secret lives: the field and the stored_in edge agree. */
  storeSecret(identity: Identity, store: Resource, ref: string): void {
    const location: SecretLocation = { store: store.name, ref };
    identity.secretLocations.push(location);
    this.edge('stored_in', identity.id, store.id);
  }

  grant(identity: Identity, target: Resource | System, actions: string[]): void {
    this.edge('has_permission', identity.id, target.id, actions);
  }
}
