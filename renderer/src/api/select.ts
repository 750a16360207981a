import { type Bridge, setBridge } from "./bridge.js";
import { ElectronBridge } from "./electron-bridge.js";
import type { ErrorEnvelope } from "./errors.js";
import { HttpBridge } from "./http-bridge.js";
import { ServerBridge } from "./server-bridge.js";
import { servedByServer } from "./server-mode.js";
import { ElectronTerminal, setTerminalTransport, WebSocketTerminal } from "./terminal.js";
import { takeToken } from "./token.js";

export type Selection = { bridge: Bridge; server?: true } | { error: ErrorEnvelope | null };

/**
 * Picks the transport once at start-up: the desktop app's preload when present,
 * else `deploy ui` on this page's own origin with the token its launch code buys.
 * Without either, the error says why (no launch code in the URL: null; a used code).
 */
export async function selectBridge(): Promise<Selection> {
	// Issue 17, item 4: served by a server's API: its /api/v1 with a login (no terminal there).
	if (servedByServer()) {
		const bridge = new ServerBridge();
		setBridge(bridge);
		return { bridge, server: true };
	}
	if (window.deployBridge) {
		const bridge = new ElectronBridge(window.deployBridge);
		setTerminalTransport(new ElectronTerminal(window.deployBridge.terminal));
		setBridge(bridge);
		return { bridge };
	}
	const outcome = await takeToken();
	if (!outcome) return { error: null };
	if ("error" in outcome) return { error: outcome.error };
	const bridge = new HttpBridge(window.location.origin, outcome.token);
	setTerminalTransport(new WebSocketTerminal(window.location.origin.replace(/^http/, "ws"), outcome.token));
	setBridge(bridge);
	return { bridge };
}
