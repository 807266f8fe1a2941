/**
 * One identity's behavioural baseline: what it reached (systems, resource classes, actions, tools),
 * from where (networks, workloads), when (hours of the day), how fast (per-minute/per-hour event
 * counts and bytes per hour, kept as daily maxima) and how deep its delegation chains go, over a
 * sliding window anchored at its own last activity (so a dormant identity keeps the baseline it had).
 *
 * Compact by design: sets are maps key → last seen (minutes since epoch), rates are one small record
 * per day; the live counters and the recent-timing ring are memory only.
 */

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface DayMax {
  day: number;
  perMinute: number;
  perHour: number;
  bytesPerHour: number;
  recordsPerHour: number;
}

/** The persisted form (JSON). */
export interface BaselineJson {
  v: 1;
  firstMs: number;
  lastMs: number;
  events: number;
  learned: boolean;
  sets: Record<SetName, Record<string, number>>;
  /** Per hour of day (UTC): last seen, minutes since epoch (0 = never). */
  hours: number[];
  maxDepth: number;
  days: DayMax[];
  /** The identity has shown irregular (interactive-looking) timing during its baseline. */
  irregular: boolean;
}

export const SET_NAMES = ['systems', 'classes', 'actions', 'networks', 'workloads', 'tools'] as const;
export type SetName = (typeof SET_NAMES)[number];

export class IdentityBaseline {
  firstMs = 0;
  lastMs = 0;
  events = 0;
  learned = false;
  readonly sets: Record<SetName, Map<string, number>> = {
    systems: new Map(),
    classes: new Map(),
    actions: new Map(),
    networks: new Map(),
    workloads: new Map(),
    tools: new Map(),
  };
  hours: number[] = new Array<number>(24).fill(0);
  maxDepth = 0;
  days: DayMax[] = [];
  irregular = false;

  // Live counters (memory only).
  minuteKey = -1;
  minuteCount = 0;
  hourKey = -1;
  hourCount = 0;
  hourBytes = 0;
  hourRecords = 0;
  /** Times of the most recent events (ms), for timing regularity. */
  recent: number[] = [];
  /** Recent denial times (ms), for repeated-denial detection. */
  denials: number[] = [];
  private prunedDay = 0;

  has(set: SetName, key: string): boolean {
    return this.sets[set].has(key);
  }

  remember(set: SetName, key: string | undefined, at: number): void {
    if (key !== undefined) this.sets[set].set(key, Math.floor(at / MINUTE));
  }

  /** Whether this hour of day, or one next to it, has been active within the window. */
  usualHour(at: number): boolean {
    const h = Math.floor(at / HOUR) % 24;
    return this.hours[h]! > 0 || this.hours[(h + 23) % 24]! > 0 || this.hours[(h + 1) % 24]! > 0;
  }

  /** Daily maxima over the window, completed minutes/hours only. */
  maxima(): Omit<DayMax, 'day'> {
    const m = { perMinute: 0, perHour: 0, bytesPerHour: 0, recordsPerHour: 0 };
    for (const d of this.days) {
      if (d.perMinute > m.perMinute) m.perMinute = d.perMinute;
      if (d.perHour > m.perHour) m.perHour = d.perHour;
      if (d.bytesPerHour > m.bytesPerHour) m.bytesPerHour = d.bytesPerHour;
      if (d.recordsPerHour > m.recordsPerHour) m.recordsPerHour = d.recordsPerHour;
    }
    return m;
  }

  private dayOf(at: number): DayMax {
    const day = Math.floor(at / DAY);
    let last = this.days[this.days.length - 1];
    if (last?.day !== day) {
      last = { day, perMinute: 0, perHour: 0, bytesPerHour: 0, recordsPerHour: 0 };
      this.days.push(last);
    }
    return last;
  }

  /** Counts one event in the live minute/hour counters, closing the previous ones into the daily maxima. */
  count(at: number, bytes: number, records: number): void {
    const minute = Math.floor(at / MINUTE);
    if (minute !== this.minuteKey) {
      if (this.minuteKey >= 0) {
        const d = this.dayOf(this.minuteKey * MINUTE);
        if (this.minuteCount > d.perMinute) d.perMinute = this.minuteCount;
      }
      if (minute > this.minuteKey) {
        this.minuteKey = minute;
        this.minuteCount = 0;
      }
    }
    const hour = Math.floor(at / HOUR);
    if (hour !== this.hourKey) {
      if (this.hourKey >= 0) {
        const d = this.dayOf(this.hourKey * HOUR);
        if (this.hourCount > d.perHour) d.perHour = this.hourCount;
        if (this.hourBytes > d.bytesPerHour) d.bytesPerHour = this.hourBytes;
        if (this.hourRecords > d.recordsPerHour) d.recordsPerHour = this.hourRecords;
      }
      if (hour > this.hourKey) {
        this.hourKey = hour;
        this.hourCount = 0;
        this.hourBytes = 0;
        this.hourRecords = 0;
      }
    }
    if (minute === this.minuteKey) this.minuteCount++;
    if (hour === this.hourKey) {
      this.hourCount++;
      this.hourBytes += bytes;
      this.hourRecords += records;
    }
  }

  /** Records activity at `at` (time of day, first/last seen, event count) and forgets what left the window. */
  touch(at: number, windowMs: number): void {
    if (this.events === 0 || at < this.firstMs) this.firstMs = at;
    if (at > this.lastMs) this.lastMs = at;
    this.events++;
    this.hours[Math.floor(at / HOUR) % 24] = Math.floor(at / MINUTE);
    const day = Math.floor(at / DAY);
    if (day !== this.prunedDay) {
      this.prunedDay = day;
      this.prune(windowMs);
    }
  }

  private prune(windowMs: number): void {
    const cutMinute = Math.floor((this.lastMs - windowMs) / MINUTE);
    for (const name of SET_NAMES) {
      for (const [k, seen] of this.sets[name]) if (seen < cutMinute) this.sets[name].delete(k);
    }
    for (let h = 0; h < 24; h++) if (this.hours[h]! < cutMinute) this.hours[h] = 0;
    const cutDay = Math.floor((this.lastMs - windowMs) / DAY);
    this.days = this.days.filter((d) => d.day >= cutDay);
  }

  toJSON(): BaselineJson {
    const sets = {} as BaselineJson['sets'];
    for (const name of SET_NAMES) sets[name] = Object.fromEntries(this.sets[name]);
    return {
      v: 1,
      firstMs: this.firstMs,
      lastMs: this.lastMs,
      events: this.events,
      learned: this.learned,
      sets,
      hours: this.hours,
      maxDepth: this.maxDepth,
      days: this.days,
      irregular: this.irregular,
    };
  }

  static fromJSON(j: BaselineJson): IdentityBaseline {
    const b = new IdentityBaseline();
    b.firstMs = j.firstMs;
    b.lastMs = j.lastMs;
    b.events = j.events;
    b.learned = j.learned;
    for (const name of SET_NAMES) b.sets[name] = new Map(Object.entries(j.sets[name] ?? {}));
    b.hours = j.hours.length === 24 ? [...j.hours] : b.hours;
    b.maxDepth = j.maxDepth;
    b.days = j.days;
    b.irregular = j.irregular;
    return b;
  }
}
