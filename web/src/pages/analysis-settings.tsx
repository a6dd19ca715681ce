import { PolicySchema, DEFAULT_POLICY, type Policy } from '../../../shared/policy/policy';

export interface AnalysisSettings {
  delegate: 'CPU' | 'GPU';
  targetFps: number;
}

export const DEFAULT_ANALYSIS_SETTINGS: AnalysisSettings = {
  // Measured faster than software WebGL on machines without a GPU; GPU helps where one exists.
  delegate: 'CPU',
  targetFps: DEFAULT_POLICY.tracking.targetFps,
};

/** The policy with the candidate's chosen rate, validated like any other policy. */
export function policyFor(settings: AnalysisSettings): Policy {
  return PolicySchema.parse({
    ...DEFAULT_POLICY,
    tracking: { ...DEFAULT_POLICY.tracking, targetFps: settings.targetFps },
  });
}

/** Optional settings for slow or GPU-equipped devices, folded away by default. */
export function AnalysisSettingsForm({
  value,
  onChange,
}: {
  value: AnalysisSettings;
  onChange: (next: AnalysisSettings) => void;
}) {
  return (
    <details className="panel">
      <summary>Analysis settings (optional)</summary>
      <label>
        Analysis engine
        <select
          value={value.delegate}
          onChange={(e) =>
            onChange({ ...value, delegate: e.target.value === 'GPU' ? 'GPU' : 'CPU' })
          }
        >
          <option value="CPU">CPU (recommended)</option>
          <option value="GPU">GPU (faster on devices with a graphics card)</option>
        </select>
      </label>
      <label>
        Frames analysed per second
        <select
          value={value.targetFps}
          onChange={(e) => onChange({ ...value, targetFps: Number(e.target.value) })}
        >
          {[5, 10, 15].map((fps) => (
            <option key={fps} value={fps}>
              {fps}
              {fps === DEFAULT_POLICY.tracking.targetFps ? ' (default)' : ''}
            </option>
          ))}
        </select>
      </label>
      <p className="muted">
        A slower device analyses fewer frames instead of falling behind; the interviewer sees the
        rate achieved.
      </p>
    </details>
  );
}
