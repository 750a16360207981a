// No zod here: the SSH provider and the store throw DeployErrors on the CLI's
// early path (core/servers/early-session.ts), before the schemas are worth loading.
// The envelope's schema, for validating one that arrives, is in error-info.ts.

/** The error envelope that crosses every boundary: RPC, IPC, HTTP, `--json`. */
export interface ErrorInfo {
	code: string;
	message: string;
	hint?: string | undefined;
	/** Extra facts for a person (last log lines, health-check response). Never secrets. */
	details?: string[] | undefined;
}

/**
 * The one error class of the project. `code` is stable (scripts match on it),
 * `message` says what went wrong, `hint` says what to do next.
 */
export class DeployError extends Error {
	readonly code: string;
	readonly hint: string | undefined;
	readonly details: string[] | undefined;

	constructor(code: string, message: string, hint?: string, details?: string[]) {
		super(message);
		this.name = "DeployError";
		this.code = code;
		this.hint = hint;
		this.details = details;
	}

	toInfo(): ErrorInfo {
		return {
			code: this.code,
			message: this.message,
			...(this.hint ? { hint: this.hint } : {}),
			...(this.details?.length ? { details: this.details } : {}),
		};
	}

	static fromInfo(info: ErrorInfo): DeployError {
		return new DeployError(info.code, info.message, info.hint, info.details);
	}
}

/** An early session (core/servers/early-session.ts) that failed for reasons of its own, not the server's: connect again. */
export const EARLY_SESSION_LOST = "EARLY_SESSION_LOST";

/** Any thrown value as an envelope; unknown errors keep their message under code INTERNAL. */
export function toErrorInfo(error: unknown): ErrorInfo {
	if (error instanceof DeployError) return error.toInfo();
	const message = error instanceof Error ? error.message : String(error);
	return { code: "INTERNAL", message };
}
