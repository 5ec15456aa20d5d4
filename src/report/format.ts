/**
 * Number formatting for the static HTML, the sentences the report writes and the page script
 * (which gets these very functions' sources, so each must stay self-contained).
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (Math.abs(ms) >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (Math.abs(ms) >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (Math.abs(ms) >= 10) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatPercent(p: number | null): string {
  if (p === null) return '–';
  if (p === 100) return '100%';
  // 99.99% must not round up to 100% when something failed.
  return `${(Math.floor(p * 100) / 100).toFixed(2)}%`;
}
