/** Body of `GET /health/live` and `GET /health/ready`. */
export interface HealthStatus {
  readonly status: 'ok' | 'unavailable';
  readonly checks: Readonly<Record<string, 'ok' | 'unavailable'>>;
}
