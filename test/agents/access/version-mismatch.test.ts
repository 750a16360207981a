// Issue 16, item 3: which agent version a member's client brings (read from its connect
// script, which the forced command skipped), and the error for a call the server's agent
// cannot serve. Pure: the scripts are the client's own (providers/ssh/remote-scripts.ts).
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { versionMismatch } from "../../../agents/access/version-mismatch.js";
import { clientAgentVersion } from "../../../agents/bridge/member-command.js";
import { connectCommand } from "../../../providers/ssh/remote-scripts.js";

const theirs = "a".repeat(64);
const ours = "b".repeat(64);

describe("a member's client of another agent version", () => {
	test("the version is read from the client's connect script, through sudo too", () => {
		assert.equal(clientAgentVersion(connectCommand(theirs)), theirs);
		assert.equal(clientAgentVersion(connectCommand(theirs, true)), theirs);
		assert.equal(clientAgentVersion("id"), undefined);
		assert.equal(clientAgentVersion(undefined), undefined);
	});

	test("a call this agent cannot serve names both versions and the owner's command; the same version keeps the usual error", () => {
		const error = versionMismatch({ member: "bob", client: null, clientAgent: theirs }, ours, "it does not know the call whoami");
		assert.equal(error?.code, "AGENT_VERSION_MISMATCH");
		assert.equal(error?.message, "The agent on this server (version bbbbbbbbbbbb) is not the one your client brings (version aaaaaaaaaaaa), and it does not know the call whoami.");
		assert.match(error?.hint ?? "", /deploy servers upgrade <name>/);
		assert.equal(versionMismatch({ member: "bob", client: null }, ours, "x"), null);
		assert.equal(versionMismatch({ member: "bob", client: null, clientAgent: ours }, ours, "x"), null);
	});
});
