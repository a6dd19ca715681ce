import type { ReactNode } from 'react';

/** Errors are announced at once; progress politely. */
export function ErrorMessage({ children }: { children: ReactNode }) {
  return (
    <div role="alert" className="error">
      {children}
    </div>
  );
}

export function Progress({
  label,
  value,
  max,
}: {
  label: string;
  value: number | null;
  max: number | null;
}) {
  return (
    <div className="progress" role="status" aria-live="polite">
      <label>
        {label}
        {value !== null && max !== null ? <progress value={value} max={max} /> : <progress />}
      </label>
    </div>
  );
}
