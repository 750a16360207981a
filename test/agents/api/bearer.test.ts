// Issue 17: who a request of the HTTPS API is, from its Authorization header, on a real
// key store in a temp home. The request objects are plain values: callerOfRequest reads
// only the headers and the socket's address.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "vitest";
import { callerOfRequest } from "../../../agents/api/bearer.js";
import { createKey } from "../../../agents/api/key-store.js";
import { DeployError } from "../../../core/protocol/errors.js";

const request = (headers: Record<string, string | string[] | undefined>) => ({ headers, socket: { remoteAddress: "127.0.0.1" } }) as unknown as IncomingMessage;

describe("callerOfRequest", () => {
	let home: string;
	let key: string;
	beforeEach(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-bearer-"));
		({ key } = await createKey(home, { name: "ci", team: "acme", scope: "deploy", apps: ["shop"] }));
	});
	afterEach(async () => {
		await rm(home, { recursive: true, force: true });
	});

	test("a Bearer key is the key's caller, neither a member nor the server's owner", async () => {
		const caller = await callerOfRequest(home, request({ authorization: `Bearer ${key}` }));
		assert.equal(caller.member, null);
		assert.equal(caller.key?.name, "ci");
		assert.equal(caller.key?.scope, "deploy");
	});

	test("the audited address is the one the proxy appended, not one the client wrote into X-Forwarded-For", async () => {
		const caller = await callerOfRequest(home, request({ authorization: `Bearer ${key}`, "x-forwarded-for": "10.9.9.9, 203.0.113.7" }));
		assert.equal(caller.client, "203.0.113.7");
		const direct = await callerOfRequest(home, request({ authorization: `Bearer ${key}` }));
		assert.equal(direct.client, "127.0.0.1");
	});

	test("no header, or another scheme, is API_KEY_MISSING", async () => {
		for (const headers of [{}, { authorization: `Basic ${key}` }]) {
			await assert.rejects(callerOfRequest(home, request(headers)), (error) => error instanceof DeployError && error.code === "API_KEY_MISSING");
		}
	});
});
