/** Small coloured labels: severity, status, sensitivity, outcome. Colour is never the only signal. */
const TONES: Record<string, string> = {
  critical: 'red',
  high: 'orange',
  medium: 'yellow',
  low: 'blue',
  info: 'grey',
  active: 'green',
  open: 'orange',
  pending: 'orange',
  approved: 'green',
  allow: 'green',
  success: 'green',
  resolved: 'green',
  accepted: 'grey',
  denied: 'red',
  deny: 'red',
  failure: 'red',
  disabled: 'grey',
  orphaned: 'red',
  expired: 'grey',
  revoked: 'grey',
  internal: 'blue',
  confidential: 'orange',
  public: 'grey',
};

export function Badge({ value, title }: { value: string | null | undefined; title?: string }) {
  if (!value) return <span className="badge badge-grey">—</span>;
  return (
    <span className={`badge badge-${TONES[value] ?? 'grey'}`} title={title}>
      {value}
    </span>
  );
}
