// Which command opens the browser: $BROWSER as xdg-utils and Python read it, else the
// platform's opener. The target is always the last word or the `%s`, as one argument.
import assert from "node:assert/strict";
import { test } from "vitest";
import { openerCommand } from "../../cli/open-browser.js";

const page = "file:///home/me/.local/share/deploy/ui/launch-0a1b.html";

test("without $BROWSER, the platform's opener", () => {
	assert.deepEqual(openerCommand(page, {}, "linux"), { command: "xdg-open", args: [page] });
	assert.deepEqual(openerCommand(page, { BROWSER: "" }, "darwin"), { command: "open", args: [page] });
	assert.deepEqual(openerCommand(page, {}, "win32"), { command: "cmd", args: ["/c", "start", '""', page] });
});

test("$BROWSER: the first command of the list, with the target appended or put at %s", () => {
	assert.deepEqual(openerCommand(page, { BROWSER: "firefox" }, "linux"), { command: "firefox", args: [page] });
	assert.deepEqual(openerCommand(page, { BROWSER: " :chromium --new-window:firefox" }, "linux"), { command: "chromium", args: ["--new-window", page] });
	assert.deepEqual(openerCommand(page, { BROWSER: "w3m -o x=1 %s" }, "linux"), { command: "w3m", args: ["-o", "x=1", page] });
});
