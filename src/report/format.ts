/** Bytes as decimal megabytes with one decimal, the unit every log line and summary uses. */
export function formatMB(bytes: number): string {
  return (bytes / 1e6).toFixed(1)
}
