/**
 * Why on-device analysis is unavailable. The interview goes on without it; the reason is shown to
 * the candidate and recorded as an `analysis_failed` measurement event.
 */
export type AnalysisFailureReason =
  'model_download' | 'model_init' | 'worker_crashed' | 'no_camera' | 'unsupported_browser';

export class AnalysisUnavailableError extends Error {
  override readonly name = 'AnalysisUnavailableError';
  readonly reason: AnalysisFailureReason;

  constructor(reason: AnalysisFailureReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}
