import { DeployError } from "../../core/protocol/index.js";

// Issue 14, item 4: an app that ignores $PORT (`app.listen(3000)`) used to wait out the
// whole health check and fail with ECONNREFUSED. The agent sees which ports the
// instance listens on (processes/listening-ports.ts), so it can say so at once.

/** How often the health check looks at the instance's sockets. */
export const PORT_CHECK_EVERY_MS = 250;

/**
 * How long the instance must listen elsewhere, and not on $PORT, before the deploy
 * fails: an app may open a metrics or debug port a moment before its own. Short
 * enough that the user hears of it within a second or two of the app's start.
 */
export const WRONG_PORT_AFTER_MS = 1_500;

/**
 * Watches the ports an instance listens on while its health check waits: `observe`
 * answers the other ports once they have been the only ones for WRONG_PORT_AFTER_MS.
 * Pure (the clock is passed in): tested by equality.
 */
export class WrongPortWatch {
	#since: number | null = null;

	constructor(readonly port: number) {}

	observe(listening: readonly number[], nowMs: number): number[] | null {
		if (listening.length === 0 || listening.includes(this.port)) {
			this.#since = null;
			return null;
		}
		this.#since ??= nowMs;
		return nowMs - this.#since >= WRONG_PORT_AFTER_MS ? [...listening] : null;
	}
}

/** The deploy's error: where the app listens, where it should, and the line that fixes it. */
export function wrongPortError(port: number, listening: readonly number[], details: string[]): DeployError {
	const where = listening.length === 1 ? String(listening[0]) : `${listening.slice(0, -1).join(", ")} and ${listening.at(-1)}`;
	const example = listening[0] ?? 3000;
	return new DeployError(
		"WRONG_PORT",
		`The app listens on ${where}, not on $PORT (${port}).`,
		`Listen on the port in the PORT environment variable: in Node, \`app.listen(process.env.PORT || ${example})\`; for a CLI server, pass it on the start command (\`--port $PORT\`). Each instance gets a fresh port, so a new release starts beside the live one.`,
		details,
	);
}
