import { setFlagsFromString } from "node:v8";

/**
 * The daemon idles far more than it works, and its work is I/O (files, sockets, child
 * processes): V8's optimizing tiers and a large young generation buy it little and
 * hold memory while it waits. Measured on the idle daemon after a few deploys
 * (docs/benchmarks.md): ~73 MB resident without these flags, ~59 MB with them.
 * Set at run time, not on the command line, because V8 ignores a flag it does not
 * know there, where an unknown command-line flag would stop the daemon from starting
 * on a future Node. --no-opt is what V8 <= 11 (Node 20) calls its optimizing tier;
 * V8 12+ (Node 22, 24: the agent's own runtime since issue 12) has --turbofan and the
 * --maglev tier in between, each turned off by name. Not --jitless / --lite-mode: they turn WebAssembly off, and
 * fetch() (undici's parser) needs it.
 */
export const DAEMON_V8_FLAGS = ["--no-opt", "--no-turbofan", "--no-maglev", "--no-sparkplug", "--optimize-for-size", "--max-semi-space-size=1", "--no-regexp-tier-up"];

/**
 * What must be on the daemon's command line instead: since V8 12 (Node 22, 24) the heap's
 * young generation is sized before any code runs, so --max-semi-space-size set at run
 * time no longer shrinks it (measured on Node 24.22.3, an idle daemon: 29.5 MB anonymous
 * memory without it on the command line, 24.3 MB with it). Node has known this flag on
 * its command line for many majors, so it cannot stop a daemon from starting.
 */
export const DAEMON_NODE_ARGS = ["--max-semi-space-size=1"];

export function lowerMemory(): void {
	for (const flag of DAEMON_V8_FLAGS) setFlagsFromString(flag);
}
