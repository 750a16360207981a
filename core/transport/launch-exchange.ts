// POST /api/launch {"code"}: the page trades the one-time code from its URL for the
// session token, which then lives only in that tab (sessionStorage). The answer is
// the only place the token is ever written to, so it is never cached.
import type { IncomingMessage, ServerResponse } from "node:http";
import * as z from "zod";
import { toErrorInfo } from "../protocol/index.js";
import { readJsonBody, sendJson } from "./http-api.js";
import { httpStatusOf } from "./http-status.js";
import type { LaunchCodes } from "./launch-codes.js";

const launchRequest = z.object({ code: z.string().min(1).max(200) }).strict();

export const LAUNCH_PATH = "/api/launch";

export async function handleLaunch(codes: LaunchCodes, token: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
	if (request.method !== "POST") {
		response.setHeader("allow", "POST");
		return sendJson(response, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "A launch code is redeemed with a POST request." } });
	}
	let body: unknown;
	try {
		body = await readJsonBody(request);
	} catch (error) {
		const info = toErrorInfo(error);
		return sendJson(response, httpStatusOf(info), { error: info });
	}
	const parsed = launchRequest.safeParse(body);
	if (!parsed.success) {
		return sendJson(response, 400, { error: { code: "BAD_REQUEST", message: 'The body must be {"code": "<launch code>"}.', hint: "Open the URL `deploy ui` printed." } });
	}
	if (!codes.redeem(parsed.data.code)) {
		return sendJson(response, 403, {
			error: {
				code: "LAUNCH_CODE_USED",
				message: "This launch link was already used, or is not from this `deploy ui`.",
				hint: "Each link opens one browser tab. Use the tab it opened, or stop `deploy ui` and start it again for a new link.",
			},
		});
	}
	sendJson(response, 200, { result: { token } });
}
