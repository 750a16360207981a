/**
 * An api error rebuilt on this side of the boundary from its envelope
 * `{ code, message, hint, details }`: views show message and hint, and match on code.
 */
export interface ErrorEnvelope {
	code: string;
	message: string;
	hint?: string;
	details?: string[];
}

export class ApiError extends Error {
	readonly code: string;
	readonly hint: string | undefined;
	readonly details: string[] | undefined;

	constructor(info: ErrorEnvelope) {
		super(info.message);
		this.name = "ApiError";
		this.code = info.code;
		this.hint = info.hint;
		this.details = info.details;
	}

	toEnvelope(): ErrorEnvelope {
		return {
			code: this.code,
			message: this.message,
			...(this.hint ? { hint: this.hint } : {}),
			...(this.details?.length ? { details: this.details } : {}),
		};
	}
}

/** Anything thrown, as an envelope a view can show (a network failure, a bug, an api error). */
export function toEnvelope(error: unknown): ErrorEnvelope {
	if (error instanceof ApiError) return error.toEnvelope();
	if (isAbort(error)) return { code: "CANCELLED", message: "Cancelled." };
	const message = error instanceof Error ? error.message : String(error);
	return { code: "INTERNAL", message };
}

export function isAbort(error: unknown): boolean {
	return (error instanceof Error || (typeof error === "object" && error !== null)) && (error as { name?: string }).name === "AbortError";
}

/** Reads an unknown JSON value as an envelope, or null when it is not one. */
export function asEnvelope(value: unknown): ErrorEnvelope | null {
	if (typeof value !== "object" || value === null) return null;
	const { code, message, hint, details } = value as Record<string, unknown>;
	if (typeof code !== "string" || typeof message !== "string") return null;
	return {
		code,
		message,
		...(typeof hint === "string" ? { hint } : {}),
		...(Array.isArray(details) ? { details: details.map(String) } : {}),
	};
}
