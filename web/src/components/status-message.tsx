import type { ReactNode } from 'react';

/** Errors are announced at once; progress politely. */
export function ErrorMessage({ children }: { children: ReactNode }) {
  return (
    <div role="alert" className="error">
      {children}
    </div>
  );
}

/** "4.2 MB" / "850 KB" from bytes. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${Math.max(0, Math.round(bytes / 1000))} KB`;
}

/**
 * A labelled progress bar. With a known total it says how far in words too ("4.2 of 16.8 MB,
 * 25 %"), so a slow download is visibly moving; without one it is indeterminate.
 */
export function Progress({
  label,
  value,
  max,
  unit = 'bytes',
}: {
  label: string;
  value: number | null;
  max: number | null;
  unit?: 'bytes' | 'none';
}) {
  const known = value !== null && max !== null && max > 0;
  const percent = known ? Math.min(100, Math.round((value / max) * 100)) : null;
  return (
    <div className="progress" role="status">
      <label>
        <span className="progress-label">
          {label}
          {known &&
            unit === 'bytes' &&
            ` ${formatBytes(value)} of ${formatBytes(max)} (${percent}%)`}
          {known && unit === 'none' && ` (${percent}%)`}
        </span>
        {known ? <progress value={value} max={max} /> : <progress />}
      </label>
    </div>
  );
}
