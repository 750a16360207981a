// How files travel to the agent (issue 14): small ones in batches of objects.put,
// large ones streamed in chunks through objects.write. Both ends import these
// numbers, so neither ever holds more than a chunk or a batch of one upload.

/** A file up to this size travels whole inside an objects.put batch; a larger one in chunks. */
export const SMALL_OBJECT_BYTES = 1024 * 1024;

/** The most an objects.put batch (all its files together) or a redeploy's inline file may inflate to: a batch never costs the agent more. */
export const PUT_OBJECT_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Raw bytes per objects.write chunk, its call's binary part (frames.ts). Since chunks
 * travel raw, not as base64 strings, a MiB costs each end a MiB; and the agent runs
 * its JavaScript in the interpreter only (memory-flags.ts), so each call's overhead counts:
 * a 200 MB file took the agent 25% less CPU in 1 MiB chunks than in 256 KiB ones.
 */
export const CHUNK_BYTES = 1024 * 1024;

/** Raw bytes per objects.put batch, and objects per batch: each RPC line stays a few MiB whatever the files. */
export const BATCH_BYTES = 4 * 1024 * 1024;
export const BATCH_OBJECTS = 2_000;

/** objects.put batches the client keeps in flight: enough to hide the round trip, few enough to bound both ends' memory. */
export const UPLOADS_IN_FLIGHT = 4;

/** objects.write chunks in flight: 4 MiB, twice an SSH channel's window (OpenSSH's default), so the link never waits on the client. */
export const CHUNKS_IN_FLIGHT = 4;
