import assert from "node:assert/strict";
import { beforeEach, test } from "vitest";
import { setTerminalTransport, type TerminalHandlers, type TerminalOpenRequest } from "../../../../renderer/src/api/terminal.js";
import { ApiError } from "../../../../renderer/src/api/errors.js";
import { useTerminal } from "../../../../renderer/src/stores/terminal.js";

/** A fake of the renderer's terminal seam: records what the store asks, lets the test play the shell. */
function fakeTerminal(fail?: ApiError) {
	const seen = { requests: [] as TerminalOpenRequest[], written: [] as string[], resized: [] as unknown[], closed: 0, handlers: null as TerminalHandlers | null };
	setTerminalTransport({
		async open(request, handlers) {
			seen.requests.push(request);
			if (fail) throw fail;
			seen.handlers = handlers;
			return { write: (data) => seen.written.push(data), resize: (size) => seen.resized.push(size), close: () => seen.closed++ };
		},
	});
	return seen;
}

beforeEach(() => {
	useTerminal.getState().close();
	useTerminal.setState({ status: "idle", target: null, exitCode: null, error: null });
});

test("opens a shell with the window's size; output, typing and resizes flow; the exit is shown", async () => {
	const shell = fakeTerminal();
	const output: string[] = [];
	await useTerminal.getState().open({ kind: "server", server: "prod" }, { cols: 80, rows: 24 }, (data) => output.push(Buffer.from(data).toString()));
	assert.deepEqual(shell.requests, [{ target: { kind: "server", server: "prod" }, cols: 80, rows: 24 }]);
	assert.equal(useTerminal.getState().status, "open");
	shell.handlers?.onData(new TextEncoder().encode("$ "));
	useTerminal.getState().write("ls\r");
	useTerminal.getState().resize({ cols: 100, rows: 30 });
	assert.deepEqual(output, ["$ "]);
	assert.deepEqual(shell.written, ["ls\r"]);
	assert.deepEqual(shell.resized, [{ cols: 100, rows: 30 }]);
	shell.handlers?.onExit({ code: 0 });
	assert.deepEqual({ ...useTerminal.getState() }, { ...useTerminal.getState(), status: "ended", exitCode: 0, error: null });
	// An ended shell takes no more input.
	useTerminal.getState().write("more");
	assert.deepEqual(shell.written, ["ls\r"]);
});

test("closing ends the shell; output of a closed shell is dropped", async () => {
	const shell = fakeTerminal();
	const output: string[] = [];
	await useTerminal.getState().open({ kind: "local" }, { cols: 80, rows: 24 }, (data) => output.push(Buffer.from(data).toString()));
	useTerminal.getState().close();
	assert.equal(shell.closed, 1);
	assert.equal(useTerminal.getState().status, "ended");
	shell.handlers?.onData(new TextEncoder().encode("late"));
	assert.deepEqual(output, []);
});

test("a shell that cannot start shows the error", async () => {
	fakeTerminal(new ApiError({ code: "HOST_KEY_CHANGED", message: "The host key changed." }));
	await useTerminal.getState().open({ kind: "server", server: "prod" }, { cols: 80, rows: 24 }, () => undefined);
	assert.equal(useTerminal.getState().status, "ended");
	assert.equal(useTerminal.getState().error?.code, "HOST_KEY_CHANGED");
});
