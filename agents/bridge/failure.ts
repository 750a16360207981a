/**
 * The bridge's own error: the same fields as DeployError, without importing the
 * protocol's schemas (zod and every wire type), which the bridge would otherwise
 * evaluate on each start for nothing. main.ts prints it as `deploy-agent: CODE: ...`.
 */
export class BridgeError extends Error {
	constructor(
		readonly code: string,
		message: string,
		readonly hint?: string,
		readonly details?: string[],
	) {
		super(message);
		this.name = "BridgeError";
	}
}
