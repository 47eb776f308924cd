/** `59m 12s`, `3h 04m`, `2d 5h`: precise when it matters (soon), coarse when it does not. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m ${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}

/** The countdown text the page starts with; the browser script keeps it live with the same wording. */
export function formatExpiry(expiresAt: number, now: number): string {
  const left = expiresAt - now;
  return left > 0 ? `in ${formatDuration(left)}` : `expired ${formatDuration(-left)} ago`;
}

/** `14:03:12`, in the server's time zone (the playground runs on the developer's machine). */
export function formatClock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString('en-GB', { hour12: false });
}

/** A point in time for a log line: the clock time today, with the date when it is another day. */
export function formatMoment(epochMs: number, now: number): string {
  const date = new Date(epochMs);
  const sameDay = date.toDateString() === new Date(now).toDateString();
  if (sameDay) return formatClock(epochMs);
  const day = date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
  return `${day} ${formatClock(epochMs)}`;
}
