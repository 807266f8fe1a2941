/** The `GET /v1/overview` answer (server: posture/overview-service.ts). */

export interface Overview {
  generatedAt: string;
  live: {
    identities: number;
    activeTasks: number;
    activeLeases: number;
    liveAccessTokens: number | null;
    pendingApprovals: number;
    openAlerts: number;
    openFindings: number;
  };
  findingsByCode: Array<{
    code: string;
    critical: number;
    high: number;
    medium: number;
    low: number;
    total: number;
  }>;
  alertsBySeverity: Array<{ severity: string; open: number }>;
  trends: { days: number; series: Array<{ name: string; points: Array<{ t: string; v: number }> }> };
}
