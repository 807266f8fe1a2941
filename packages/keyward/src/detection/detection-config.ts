/**
 * Detection settings (KEYWARD_DETECTION_* in config.ts map onto these). The defaults favour few
 * false alerts: a baseline must span a week and 50 events before baseline-relative kinds can fire.
 */
export interface DetectionConfig {
  /** How far back a baseline remembers, from the identity's own last activity. */
  windowDays: number;
  /** A new identity learns (no baseline-relative alerts) for this long… */
  learningDays: number;
  /** …and until it has at least this many events. */
  learningEvents: number;
  /** Inactive this long, then active again: dormant_reactivated. */
  dormantDays: number;
  /** One alert per identity and kind in this time: later events join it. */
  suppressMinutes: number;
  /** Rate spike: this many times the baseline's busiest minute/hour, and at least the floors. */
  rateFactor: number;
  minPerMinute: number;
  minPerHour: number;
  /** Volume spike: this many times the baseline's largest bytes (records) per hour, and the floors. */
  volumeFactor: number;
  minBytesPerHour: number;
  minRecordsPerHour: number;
  /** Repeated denials: this many denied/failed events within denialWindowMinutes. */
  denialThreshold: number;
  denialWindowMinutes: number;
}

export const DEFAULT_DETECTION_CONFIG: DetectionConfig = {
  windowDays: 14,
  learningDays: 7,
  learningEvents: 50,
  dormantDays: 30,
  suppressMinutes: 60,
  rateFactor: 4,
  minPerMinute: 30,
  minPerHour: 600,
  volumeFactor: 10,
  minBytesPerHour: 100_000_000,
  minRecordsPerHour: 100_000,
  denialThreshold: 5,
  denialWindowMinutes: 10,
};
