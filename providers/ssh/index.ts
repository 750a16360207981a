export type { SshConnectOptions, SshTarget } from "../../core/provider.js";
export { fingerprintOf } from "./host-key.js";
export { type OpenedSshSession, openSshSession, openSshSessionEarly } from "./session.js";
export { openSshShell, type SshShellOptions } from "./shell-channel.js";
