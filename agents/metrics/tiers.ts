/**
 * Downsampling: each tier keeps buckets of one size for one span. Every sample and
 * request goes into all three, so a coarser tier never depends on a finer one that
 * has already expired. Sizes: at most `capacity` buckets per app and tier.
 */
export interface Tier {
	name: "10s" | "1m" | "1h";
	bucketMs: number;
	keepMs: number;
}

export const TIERS: readonly Tier[] = [
	{ name: "10s", bucketMs: 10_000, keepMs: 3_600_000 },
	{ name: "1m", bucketMs: 60_000, keepMs: 24 * 3_600_000 },
	{ name: "1h", bucketMs: 3_600_000, keepMs: 30 * 24 * 3_600_000 },
];

export function capacity(tier: Tier): number {
	return tier.keepMs / tier.bucketMs;
}

/** The finest tier that still covers `sinceMs`. */
export function tierFor(sinceMs: number): Tier {
	return TIERS.find((tier) => sinceMs <= tier.keepMs) ?? TIERS[TIERS.length - 1]!;
}

export function bucketStart(atMs: number, tier: Tier): number {
	return Math.floor(atMs / tier.bucketMs) * tier.bucketMs;
}
