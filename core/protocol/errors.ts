import { z } from "zod";

/** The error envelope that crosses every boundary: RPC, IPC, HTTP, `--json`. */
export const errorInfo = z.object({
	code: z.string(),
	message: z.string(),
	hint: z.string().optional(),
	/** Extra facts for a person (last log lines, health-check response). Never secrets. */
	details: z.array(z.string()).optional(),
});
export type ErrorInfo = z.infer<typeof errorInfo>;

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

/** Any thrown value as an envelope; unknown errors keep their message under code INTERNAL. */
export function toErrorInfo(error: unknown): ErrorInfo {
	if (error instanceof DeployError) return error.toInfo();
	const message = error instanceof Error ? error.message : String(error);
	return { code: "INTERNAL", message };
}
