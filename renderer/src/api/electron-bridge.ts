// The bridge inside the desktop app: electron/preload exposes window.deployBridge
// (core/api/contract.ts's DeployBridge) through contextBridge, methods allow-listed
// there. Errors cross contextBridge as `{ error: { code, message, hint } }` envelopes
// and are rebuilt here; an AbortSignal cannot cross, so cancelling goes by call id.
import type { DeployBridge } from "../../../core/api/contract.js";
import type { ApiInput, ApiMethod, ApiResult, Bridge, CallOptions } from "./bridge.js";
import { ApiError, asEnvelope } from "./errors.js";

declare global {
	interface Window {
		deployBridge?: DeployBridge;
	}
}

export class ElectronBridge implements Bridge {
	constructor(private readonly preload: DeployBridge) {}

	async call<M extends ApiMethod>(method: M, input: ApiInput<M>, options: CallOptions = {}): Promise<ApiResult<M>> {
		if (options.signal?.aborted) throw new DOMException("Cancelled.", "AbortError");
		const callId = crypto.randomUUID();
		const cancel = () => this.preload.cancel(callId);
		options.signal?.addEventListener("abort", cancel, { once: true });
		try {
			const answer = await this.preload.call(method, input, { callId, ...(options.onEvent ? { onEvent: options.onEvent } : {}) });
			if ("result" in answer) return answer.result;
			throw new ApiError(asEnvelope(answer.error) ?? { code: "INTERNAL", message: "The desktop bridge answered an unreadable error." });
		} catch (error) {
			if (error instanceof ApiError) throw error;
			throw new ApiError({ code: "INTERNAL", message: error instanceof Error ? error.message : String(error) });
		} finally {
			options.signal?.removeEventListener("abort", cancel);
		}
	}
}
