/**
 * The project's one seeded PRNG (shared/scoring/seeded-random.ts), under the names the tracking
 * tests use. The same seed gives the same sequence everywhere, so a failing case replays.
 */
export {
  mulberry32,
  randomBetween,
  randomInt,
  randomPick as pick,
} from '../../scoring/seeded-random';

export type Random = () => number;
