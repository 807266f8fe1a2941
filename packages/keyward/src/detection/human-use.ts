/**
 * Signs that a person, not a program, is using a non-human identity's credential: a browser user
 * agent, or interactive timing (a run of requests seconds to a minute or two apart, irregularly,
 * unlike the fixed schedules and sub-second bursts of automation).
 */

const BROWSER = /\b(Mozilla\/\d|Chrome\/\d|Safari\/\d|Firefox\/\d|Edg\/\d|OPR\/\d)/;
const AUTOMATION = /bot|crawler|spider|headless|curl|wget|python|go-http|node|axios|okhttp|java|keyward/i;

/** True for a browser's user agent (and not a headless browser or a library). */
export function isBrowserUserAgent(ua: string | undefined): boolean {
  return ua !== undefined && BROWSER.test(ua) && !AUTOMATION.test(ua);
}

/** How many recent event times the timing check looks at. */
export const TIMING_WINDOW = 10;

/**
 * True when the last TIMING_WINDOW events (times in ms, ascending) are 1 s to 2 min apart with a
 * coefficient of variation of the gaps above 0.8: the pace of a person clicking and reading.
 */
export function looksInteractive(times: readonly number[]): boolean {
  if (times.length < TIMING_WINDOW) return false;
  const gaps: number[] = [];
  for (let i = times.length - TIMING_WINDOW + 1; i < times.length; i++) {
    const gap = times[i]! - times[i - 1]!;
    if (gap < 1000 || gap > 120_000) return false;
    gaps.push(gap);
  }
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const variance = gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length;
  return Math.sqrt(variance) / mean > 0.8;
}
