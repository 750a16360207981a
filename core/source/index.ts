// The source snapshot: what a deployment uploads. Imported lazily (isomorphic-git is heavy).
export { type SourceSnapshot, snapshotSource } from "./snapshot.js";
