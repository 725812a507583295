/** The calendar day (YYYY-MM-DD) in the browser's own time zone at `epochMs`. */
export function localIsoDate(epochMs: number): string {
  const date = new Date(epochMs);
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}
