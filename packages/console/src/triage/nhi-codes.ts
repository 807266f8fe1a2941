/** The OWASP Non-Human Identities Top 10 (2025) codes findings are filed under, with their names. */

export const NHI_CODES: ReadonlyArray<{ code: string; name: string }> = [
  { code: 'NHI1', name: 'Improper Offboarding' },
  { code: 'NHI2', name: 'Secret Leakage' },
  { code: 'NHI3', name: 'Vulnerable Third-Party NHI' },
  { code: 'NHI4', name: 'Insecure Authentication' },
  { code: 'NHI5', name: 'Overprivileged NHI' },
  { code: 'NHI6', name: 'Insecure Cloud Deployment Configurations' },
  { code: 'NHI7', name: 'Long-Lived Secrets' },
  { code: 'NHI8', name: 'Environment Isolation' },
  { code: 'NHI9', name: 'NHI Reuse' },
  { code: 'NHI10', name: 'Human Use of NHI' },
];

export function nhiName(code: string): string {
  return NHI_CODES.find((c) => c.code === code)?.name ?? code;
}
