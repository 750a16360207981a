import type { AlertRecord } from "../../core/protocol/metrics.js";

export interface WebhookOptions {
	attempts: number;
	timeoutMs: number;
	/** Delay before the second attempt; doubled for each next one. */
	backoffMs: number;
}

export const defaultWebhookOptions: WebhookOptions = { attempts: 3, timeoutMs: 5_000, backoffMs: 1_000 };

/**
 * POSTs the alert as JSON. Retries network errors, timeouts, 429 and 5xx answers; any
 * other answer is final. The error kept is a code or a status, never the URL: a
 * webhook URL often carries its token in the path.
 */
export async function postWebhook(url: string, payload: object, options: WebhookOptions = defaultWebhookOptions): Promise<AlertRecord["delivery"]> {
	let error = "";
	for (let attempt = 1; attempt <= options.attempts; attempt++) {
		if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, options.backoffMs * 2 ** (attempt - 2)));
		try {
			const response = await fetch(url, {
				method: "POST",
				headers: { "content-type": "application/json", "user-agent": "deploy-agent" },
				body: JSON.stringify(payload),
				signal: AbortSignal.timeout(options.timeoutMs),
				redirect: "error",
			});
			await response.body?.cancel().catch(() => undefined);
			if (response.ok) return { status: "sent", attempts: attempt };
			error = `HTTP ${response.status}`;
			if (response.status !== 429 && response.status < 500) return { status: "failed", attempts: attempt, error };
		} catch (caught) {
			error = describe(caught);
		}
	}
	return { status: "failed", attempts: options.attempts, error };
}

function describe(error: unknown): string {
	if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return "timed out";
	const cause = (error as { cause?: { code?: string } })?.cause;
	return cause?.code ?? "network error";
}
