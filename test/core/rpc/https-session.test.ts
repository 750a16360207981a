// Issue 17, item 5: the RPC over HTTPS, where no server is needed to tell: a call with a
// binary part (a large file's chunk) goes out as a request of its own (here nobody
// listens) and its bytes, even ones that look like a call, are not read as calls; an
// unreachable API is a clear error; the key is in no error's words. The chunks reaching
// a real agent through Caddy: test/e2e/platform-api-large.test.ts.
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import type { DeployError } from "../../../core/protocol/errors.js";
import { openHttpsSession } from "../../../core/rpc/https-session.js";

const TOKEN = `dp_${"k".repeat(43)}`;

describe("the agent session over HTTPS", () => {
	test("objects.write goes out as a request (here: nobody listens); its bytes are not read as a call; the next call goes out too", async () => {
		const session = openHttpsSession({ url: new URL("https://127.0.0.1:1"), token: TOKEN });
		try {
			await assert.rejects(session.rpc.callWithBytes("objects.write", { id: "a".repeat(40), size: 9, offset: 0, deflated: false }, Buffer.from('{"id":1}\n')), (error: DeployError) => {
				assert.equal(error.code, "API_UNREACHABLE");
				assert.ok(!`${error.message}${error.hint}`.includes(TOKEN));
				return true;
			});
			await assert.rejects(session.rpc.call("hello", { client: "test" }), (error: DeployError) => {
				assert.equal(error.code, "API_UNREACHABLE");
				assert.match(error.message, /127\.0\.0\.1:1/);
				assert.ok(!`${error.message}${error.hint}`.includes(TOKEN));
				return true;
			});
		} finally {
			await session.close();
		}
	});
});
