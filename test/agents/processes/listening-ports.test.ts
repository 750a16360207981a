// Issue 14, item 4: the ports an instance listens on, read from /proc as the agent
// reads them: pure parts by equality, then a real `sh -c` -> node tree spawned the way
// the supervisor spawns an instance (detached: its own process group).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, test } from "vitest";
import { WRONG_PORT_AFTER_MS, WrongPortWatch, wrongPortError } from "../../../agents/deploy/wrong-port.js";
import { instanceTree, listeningInodes, listeningPorts } from "../../../agents/processes/listening-ports.js";
import { killGroup } from "../../../agents/processes/proc.js";
import { freePort } from "../../helpers/net.js";

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0
   1: 0100007F:0BB8 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0000000000000000 20 4 30 10 -1
   2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1001        0 0 1 0000000000000000 100 0 0 10 0
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:2382 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 5151 1 0000000000000000 100 0 0 10 0
`;

describe("the ports an instance listens on", () => {
	test("LISTEN rows of tcp and tcp6 by inode; connections and rows without an inode are left out", () => {
		assert.deepEqual([...listeningInodes(TCP)], [["4242", 3000]]);
		assert.deepEqual([...listeningInodes(TCP6)], [["5151", 9090]]);
		assert.deepEqual([...listeningInodes("")], []);
	});

	test("the tree: the leader's process group and every descendant, also one that left the group", () => {
		const links = [
			{ pid: 100, ppid: 1, pgid: 100 }, // sh -c "npm start"
			{ pid: 101, ppid: 100, pgid: 100 }, // npm
			{ pid: 102, ppid: 101, pgid: 100 }, // sh -c "node app.js"
			{ pid: 103, ppid: 102, pgid: 103 }, // node, after setsid
			{ pid: 104, ppid: 103, pgid: 103 }, // its worker
			{ pid: 200, ppid: 1, pgid: 200 }, // another app
		];
		assert.deepEqual(instanceTree(100, links), [100, 101, 102, 103, 104]);
		assert.deepEqual(instanceTree(300, links), [300]);
	});

	test("a real sh -> node tree: the port node listens on, seen from the shell's pid", async () => {
		const port = await freePort();
		const child = spawn("/bin/sh", ["-c", `${process.execPath} -e 'require("node:http").createServer().listen(${port}, "127.0.0.1", () => console.log("up"))'; true`], { detached: true, stdio: ["ignore", "pipe", "inherit"] });
		try {
			await once(child.stdout!, "data");
			assert.deepEqual(await listeningPorts(child.pid!), [port]);
		} finally {
			killGroup(child.pid!, "SIGKILL");
		}
		assert.deepEqual(await listeningPorts(999_999_999), []);
	});
});

describe("the wrong-port watch", () => {
	test("fails only once the instance has listened elsewhere, and not on $PORT, for WRONG_PORT_AFTER_MS", () => {
		const watch = new WrongPortWatch(43237);
		assert.equal(watch.observe([], 0), null);
		assert.equal(watch.observe([3000], 100), null);
		assert.equal(watch.observe([3000], 100 + WRONG_PORT_AFTER_MS - 1), null);
		assert.deepEqual(watch.observe([3000], 100 + WRONG_PORT_AFTER_MS), [3000]);
	});

	test("listening on $PORT too, or on nothing again, starts the wait over", () => {
		const watch = new WrongPortWatch(43237);
		assert.equal(watch.observe([9229], 0), null);
		assert.equal(watch.observe([9229, 43237], 1_000), null);
		assert.equal(watch.observe([9229], 2_000), null);
		assert.equal(watch.observe([9229], 2_000 + WRONG_PORT_AFTER_MS - 1), null);
		assert.deepEqual(watch.observe([9229], 2_000 + WRONG_PORT_AFTER_MS), [9229]);
	});

	test("the error names the ports, $PORT's value, and the line that fixes it", () => {
		const one = wrongPortError(43237, [3000], ["listening on 3000"]);
		assert.equal(one.code, "WRONG_PORT");
		assert.equal(one.message, "The app listens on 3000, not on $PORT (43237).");
		assert.match(one.hint ?? "", /app\.listen\(process\.env\.PORT \|\| 3000\)/);
		assert.deepEqual(one.details, ["listening on 3000"]);
		assert.equal(wrongPortError(43237, [3000, 9229, 9230], []).message, "The app listens on 3000, 9229 and 9230, not on $PORT (43237).");
	});
});
