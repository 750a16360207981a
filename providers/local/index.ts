export { type LocalSessionOptions, openLocalSession } from "./session.js";
