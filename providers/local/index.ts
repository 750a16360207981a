export { type LocalSessionOptions, openLocalSession } from "./session.js";
export { type LocalAgentStopped, stopLocalAgent } from "./stop.js";
