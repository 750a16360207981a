/**
 * Watch-only enforcement, where neither cgroups v2 nor systemd can limit an instance:
 * the autoscaler's sampling loop (agents/autoscale/loop.ts) reads each instance's
 * resident memory and restarts one that stays over its limit. Pure.
 */
export function overMemoryLimit(rssBytes: number, limitBytes: number): boolean {
	return rssBytes > limitBytes;
}
