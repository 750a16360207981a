import { execa } from "execa";
import { runCommand } from "../output/run.js";

interface UiOptions {
	port?: number;
	/** commander's `--no-open` makes this false. */
	open: boolean;
	json?: boolean;
}

/**
 * `deploy ui`: the desktop's renderer in any browser, with the api on 127.0.0.1
 * behind a fresh token, until Ctrl-C. The URL carries the token in its fragment.
 */
export async function uiCommand(options: UiOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const { startUiServer } = await import("../../core/transport/http-server.js");
		const { rendererDir } = await import("../../core/transport/renderer-dir.js");
		const { createTerminals } = await import("../../core/terminal/index.js");
		const staticDir = rendererDir();
		// The terminal tab's shells: the SSH provider's shell channel, or a local pty.
		const terminals = createTerminals({ ssh: () => import("../../providers/ssh/index.js") });
		const server = await startUiServer({ api: context.api, staticDir, terminals, ...(options.port !== undefined ? { port: options.port } : {}) });
		try {
			context.print({ url: server.url, port: server.port }, () => server.url);
			if (!context.json) {
				if (!staticDir) process.stderr.write("warning: the UI is not built (run `npm run build`); only the api is served.\n");
				process.stderr.write("Serving on 127.0.0.1 only. Press Ctrl-C to stop.\n");
			}
			if (options.open) openBrowser(server.url);
			await new Promise<void>((resolve) => context.signal.addEventListener("abort", () => resolve(), { once: true }));
		} finally {
			await server.close();
		}
	});
}

/** Best effort: a machine without a browser opener still has the printed URL. */
function openBrowser(url: string): void {
	const [command, args] =
		process.platform === "darwin" ? ["open", [url]] : process.platform === "win32" ? ["cmd", ["/c", "start", '""', url]] : ["xdg-open", [url]];
	const child = execa(command, args, { detached: true, stdio: "ignore", reject: false, windowsVerbatimArguments: true });
	child.catch(() => undefined);
	child.unref();
}
