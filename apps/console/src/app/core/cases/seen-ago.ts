const DAY_MS = 86_400_000;

/**
 * How long ago `day` (YYYY-MM-DD) was, from `nowMs`, in the words of `language` ("3 weeks ago",
 * "3 สัปดาห์ที่ผ่านมา"): days under a week, weeks under two months, months under two years,
 * then years. Whole calendar days, in UTC (the API's days are calendar days).
 */
export function seenAgo(day: string, nowMs: number, language: string): string {
  const then = Date.parse(`${day}T00:00:00Z`);
  const today = Date.parse(`${new Date(nowMs).toISOString().slice(0, 10)}T00:00:00Z`);
  const days = Math.max(0, Math.round((today - then) / DAY_MS));
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  if (days < 7) return format.format(-days, 'day');
  if (days < 60) return format.format(-Math.floor(days / 7), 'week');
  if (days < 730) return format.format(-Math.floor(days / 30.44), 'month');
  return format.format(-Math.floor(days / 365.25), 'year');
}
