import { type Bridge, setBridge } from "./bridge.js";
import { ElectronBridge } from "./electron-bridge.js";
import { HttpBridge } from "./http-bridge.js";
import { ElectronTerminal, setTerminalTransport, WebSocketTerminal } from "./terminal.js";
import { takeToken } from "./token.js";

/**
 * Picks the transport once at start-up: the desktop app's preload when present,
 * else `deploy ui` on this page's own origin with the token from the URL.
 * Returns null when neither is available (the page was opened without its token).
 */
export function selectBridge(): Bridge | null {
	let chosen: Bridge | null = null;
	if (window.deployBridge) {
		chosen = new ElectronBridge(window.deployBridge);
		setTerminalTransport(new ElectronTerminal(window.deployBridge.terminal));
	} else {
		const token = takeToken();
		if (token) {
			chosen = new HttpBridge(window.location.origin, token);
			setTerminalTransport(new WebSocketTerminal(window.location.origin.replace(/^http/, "ws"), token));
		}
	}
	if (chosen) setBridge(chosen);
	return chosen;
}
