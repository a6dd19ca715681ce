import type { BlendshapeCategory } from './frame-features';

/**
 * Score of one named blendshape, or null when the model did not report it (blendshapes disabled,
 * or a model without that category). Non-finite scores count as missing; scores are clamped to
 * 0..1, the range MediaPipe documents.
 */
export function blendshapeScore(
  categories: readonly BlendshapeCategory[],
  name: string,
): number | null {
  for (const category of categories) {
    if (category.categoryName === name) {
      const score = category.score;
      if (!Number.isFinite(score)) return null;
      return Math.min(1, Math.max(0, score));
    }
  }
  return null;
}
