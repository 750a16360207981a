// Issue 13: `deploy doctor`'s isolation and ports lines, from the agent's report. Pure.
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import type { IsolationReport } from "../../../core/protocol/isolation.js";
import { isolationCheck, portsCheck } from "../../../core/scaling/isolation-checks.js";

const report = (extra: Partial<IsolationReport> = {}): IsolationReport => ({
	mode: "users",
	reason: "each app runs and builds as a system user of its own (app-<name>), with no_new_privs",
	noNewPrivs: true,
	firewall: { tool: "nftables", reason: "nftables (table inet deploy_instances) drops connections to instance ports that do not come from this machine" },
	systemdSandbox: "not used: systemd is not running here",
	...extra,
});

describe("doctor: isolation and ports", () => {
	test("a user per app is ok; apps sharing the agent's user is a warning with the way out; an agent that refuses to run apps fails", () => {
		assert.deepEqual(isolationCheck(report()), {
			name: "isolation",
			status: "ok",
			message: "own users: yes, each app runs and builds as a system user of its own (app-<name>), with no_new_privs; systemd sandboxing: not used: systemd is not running here",
		});
		const shared = isolationCheck(report({ mode: "shared", reason: "the agent runs as deploy, not root", hint: "Add the server with root", noNewPrivs: true }));
		assert.equal(shared.status, "warn");
		assert.equal(shared.message, "own users: no, the agent runs as deploy, not root; no_new_privs: yes; systemd sandboxing: not used: systemd is not running here");
		assert.equal(shared.hint, "Add the server with root");
		const refused = isolationCheck(report({ mode: "unavailable", reason: "setpriv is missing", hint: "apt-get install util-linux", noNewPrivs: false }));
		assert.equal(refused.status, "fail");
		assert.match(refused.message, /^own users: no, setpriv is missing; no_new_privs: no;/);
		assert.equal(isolationCheck(undefined).status, "warn", "an older agent");
		assert.equal(
			isolationCheck(report({ privateTmp: "yes: each app has a /tmp and /var/tmp of its own" })).message,
			"own users: yes, each app runs and builds as a system user of its own (app-<name>), with no_new_privs; private /tmp: yes: each app has a /tmp and /var/tmp of its own; systemd sandboxing: not used: systemd is not running here",
		);
	});

	test("HOST with a firewall rule behind it is ok; HOST alone warns that an app ignoring it is reachable, and how to add the rule", () => {
		assert.deepEqual(portsCheck(report()), {
			name: "ports",
			status: "ok",
			message: "instances get HOST=127.0.0.1 (and PORT); firewall: nftables (table inet deploy_instances) drops connections to instance ports that do not come from this machine",
		});
		const bare = portsCheck(report({ firewall: { tool: null, reason: "neither nft nor iptables works here" } }));
		assert.equal(bare.status, "warn");
		assert.equal(bare.message, "instances get HOST=127.0.0.1 (and PORT), which each app must honour (or listen on 127.0.0.1 itself); no firewall rule: neither nft nor iptables works here");
		assert.match(bare.hint ?? "", /apt-get install nftables/);
		assert.equal(portsCheck(undefined).status, "warn");
	});
});
