import type { Policy } from '../policy/policy';
import type { ImageQuality, QualityIssue } from './frame-features';

/**
 * A camera covered by a hand, tape or a closed shutter is dark AND nearly uniform: sharpness
 * below this share of policy.tracking.minSharpness (sensor noise alone) on top of darkness.
 * A merely dark room keeps edges and reads "dark" instead.
 */
export const COVERED_SHARPNESS_SHARE = 0.25;

/**
 * Why the frame cannot be measured, or 'none'. Checked in order of how much they explain:
 * covered (dark and featureless) > dark > glare > blur. Unmeasured quality (no pixels) is 'none':
 * the frame is judged on its landmarks alone.
 */
export function classifyQuality(quality: ImageQuality, policy: Policy): QualityIssue {
  if (quality.measured === false) return 'none';
  const { minLuminance, maxLuminance, minSharpness } = policy.tracking;
  const { luminance, sharpness } = quality;
  const dark = luminance < minLuminance;
  if (dark && sharpness < minSharpness * COVERED_SHARPNESS_SHARE) return 'covered';
  if (dark) return 'dark';
  if (luminance > maxLuminance) return 'glare';
  if (sharpness < minSharpness) return 'blur';
  return 'none';
}
