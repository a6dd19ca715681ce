/**
 * Physical bounds on the numbers a candidate's page sends. The wire schemas enforce them, so a
 * value such as 1.7e308 never reaches scoring or storage (where arithmetic on it overflows to
 * Infinity, which JSON writes as null and the record schema then refuses on reading).
 * The recorder adds the bounds that need the server's clock (see server/recorder/packet-bounds.ts).
 */

/** 2100-01-01T00:00:00Z: no honest epoch-millisecond time is later. */
export const MAX_EPOCH_MS = 4_102_444_800_000;

/** No interview lasts longer than this; an event or window can never exceed it. */
export const MAX_INTERVIEW_MS = 12 * 3_600_000;

/** Numbers in an event's `details` (counts, ratios, degrees, pixels of a screen size). */
export const MAX_DETAIL_ABS = 1e9;
