/** Body of `GET /health/live` and `GET /health/ready`. */
export interface HealthStatus {
  readonly status: 'ok' | 'unavailable';
  readonly checks: Readonly<Record<string, 'ok' | 'unavailable'>>;
  /**
   * With a read replica configured (`ready` only): its replay lag in seconds, or null when it
   * cannot be asked. `checks.replica` is `unavailable` when it cannot be asked or lags beyond
   * its bound; readiness does not depend on it (reads then use the primary).
   */
  readonly replicaLagSeconds?: number | null;
}
