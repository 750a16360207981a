import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef, useState } from "react";
import { ErrorBox } from "../components/ErrorBox.js";
import { RoleButton } from "../components/RoleButton.js";
import { StatusBadge } from "../components/StatusBadge.js";
import { useOwnerOnly } from "../stores/access.js";
import { useServers } from "../stores/servers.js";
import { describeTarget, type TerminalTarget, useTerminal } from "../stores/terminal.js";

const LOCAL = "local:";

/** A shell on a server (SSH, its pinned host key) or on this machine, in xterm.js. */
export function TerminalView() {
	const { servers, load: loadServers } = useServers();
	const { status, target, exitCode, error, open, write, resize, close } = useTerminal();
	const [choice, setChoice] = useState(LOCAL);
	const screen = useRef<HTMLElement>(null);
	const xterm = useRef<{ term: Terminal; fit: FitAddon } | null>(null);

	useEffect(() => {
		void loadServers();
	}, [loadServers]);

	// One xterm for the view's life; the shell ends with the view (closing the tab ends it).
	useEffect(() => {
		const element = screen.current;
		if (!element) return;
		const term = new Terminal({ cursorBlink: true, fontSize: 13, fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", scrollback: 5000 });
		const fit = new FitAddon();
		term.loadAddon(fit);
		term.open(element);
		fit.fit();
		const input = term.onData((data) => write(data));
		const resized = term.onResize(({ cols, rows }) => resize({ cols, rows }));
		const observer = new ResizeObserver(() => fit.fit());
		observer.observe(element);
		xterm.current = { term, fit };
		return () => {
			observer.disconnect();
			input.dispose();
			resized.dispose();
			useTerminal.getState().close();
			term.dispose();
			xterm.current = null;
		};
	}, [write, resize]);

	function start() {
		const current = xterm.current;
		if (!current) return;
		const next: TerminalTarget = choice === LOCAL ? { kind: "local" } : { kind: "server", server: choice.slice("server:".length) };
		current.term.reset();
		current.fit.fit();
		void open(next, { cols: current.term.cols, rows: current.term.rows }, (data) => current.term.write(data)).then(() => current.term.focus());
	}

	const live = status === "open" || status === "connecting";
	// A member's key runs only the agent (a forced command): a shell is the server's owner's.
	const shellReason = useOwnerOnly(choice === LOCAL ? null : choice.slice("server:".length), "open a shell on this server");
	return (
		<>
			<header className="view-header">
				<h1>Terminal</h1>
				{status !== "idle" ? <StatusBadge status={status === "open" ? "connected" : status} /> : null}
			</header>
			<div className="toolbar">
				<label className="field inline">
					<span>Shell on</span>
					<select value={choice} onChange={(event) => setChoice(event.target.value)} disabled={live}>
						<option value={LOCAL}>This machine</option>
						{servers.map((server) => (
							<option key={server.name} value={`server:${server.name}`}>
								{server.name} ({server.user}@{server.host})
							</option>
						))}
					</select>
				</label>
				{live ? (
					<button type="button" onClick={close}>
						Close shell
					</button>
				) : (
					<RoleButton type="button" className="primary" onClick={start} reason={shellReason}>
						Open shell
					</RoleButton>
				)}
			</div>
			<p className="muted" aria-live="polite">
				{status === "idle" ? "Choose where, then Open shell. Leaving this view ends the shell." : null}
				{status === "connecting" ? `Connecting to ${describeTarget(target)}…` : null}
				{status === "open" ? `A shell on ${describeTarget(target)}. Leaving this view ends it.` : null}
				{status === "ended" ? `The shell on ${describeTarget(target)} ended${exitCode !== null ? ` (exit code ${exitCode})` : ""}.` : null}
			</p>
			{error ? <ErrorBox error={error} title="Terminal" /> : null}
			<section className="terminal-screen" ref={screen} aria-label="Terminal screen" />
		</>
	);
}
