/**
 * The published industry figures the estate KPIs are set beside, with their wording. They are
 * survey results about organisations, not about one estate, so a comparison is a yardstick, not a
 * like-for-like measurement; the wording says exactly what was measured.
 */

export const INDUSTRY_SOURCE = 'industry surveys (2024–2025)';

export interface IndustryFigure {
  /** The figure, in `unit`. */
  value: number;
  unit: '%';
  /** What the surveys measured, in their words. */
  wording: string;
  /** The same in a few words, for a table column. */
  short: string;
  source: string;
  /** Whether a higher value is better for the KPI it is compared with. */
  higherIsBetter: boolean;
}

export const INDUSTRY_FIGURES = {
  fullVisibility: {
    value: 5.7,
    unit: '%',
    wording: 'of organisations have full visibility of their non-human identities',
    short: 'orgs with full visibility',
    source: INDUSTRY_SOURCE,
    higherIsBetter: true,
  },
  notRotatedInTime: {
    value: 71,
    unit: '%',
    wording: 'of non-human identities are not rotated within the recommended time frame',
    short: 'not rotated in time',
    source: INDUSTRY_SOURCE,
    higherIsBetter: false,
  },
  overPrivileged: {
    value: 97,
    unit: '%',
    wording: 'of non-human identities are over-privileged',
    short: 'over-privileged',
    source: INDUSTRY_SOURCE,
    higherIsBetter: false,
  },
  offboarding: {
    value: 20,
    unit: '%',
    wording: 'of organisations have formal processes for offboarding and revoking non-human identities',
    short: 'orgs with offboarding processes',
    source: INDUSTRY_SOURCE,
    higherIsBetter: true,
  },
} as const satisfies Record<string, IndustryFigure>;

export type IndustryFigureKey = keyof typeof INDUSTRY_FIGURES;
