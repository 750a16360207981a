import type { FormEvent } from "react";
import type { AddServerInput } from "../api/bridge.js";
import { ActivityLog } from "../components/ActivityLog.js";
import { ErrorBox } from "../components/ErrorBox.js";
import { useServers } from "../stores/servers.js";
import { AddServerConfirm } from "./AddServerConfirm.js";

/**
 * Adding a server, as the CLI does it, in two steps (issue 14): "Connect" logs in
 * without trusting anything and shows the host key's fingerprint and which proxy works
 * there; only "Trust and add" sets the server up, trusting exactly the key shown.
 */
export function AddServerForm({ onDone }: { onDone: () => void }) {
	const { adding, probe, dismissAdd } = useServers();

	async function submit(event: FormEvent<HTMLFormElement>) {
		event.preventDefault();
		const form = new FormData(event.currentTarget);
		const text = (key: string) => String(form.get(key) ?? "").trim();
		const input: AddServerInput = {
			name: text("name"),
			destination: text("destination"),
			...(text("port") ? { port: Number(text("port")) } : {}),
			...(text("identityFile") ? { identityFile: text("identityFile") } : {}),
		};
		await probe(input);
	}

	const probed = adding?.probe ?? null;
	const busy = adding?.running ?? false;
	// Once probed, what was looked at is fixed: another destination needs another look.
	const fixed = busy || probed !== null;
	return (
		<section className="card" aria-labelledby="add-server-title">
			<h2 id="add-server-title">Add a server</h2>
			<form className="form-grid" onSubmit={submit}>
				<label className="field">
					<span>Name</span>
					<input name="name" required pattern="[a-z0-9][a-z0-9\-]*" placeholder="prod" autoComplete="off" readOnly={fixed} />
				</label>
				<label className="field">
					<span>SSH destination</span>
					<input name="destination" required placeholder="root@203.0.113.7" autoComplete="off" readOnly={fixed} />
				</label>
				<label className="field">
					<span>SSH port</span>
					<input name="port" type="number" min={1} max={65535} placeholder="22" readOnly={fixed} />
				</label>
				<label className="field wide">
					<span>Identity file (private key path)</span>
					<input name="identityFile" placeholder="~/.ssh/id_ed25519 (default: your SSH agent and keys)" autoComplete="off" readOnly={fixed} />
				</label>
				<div className="actions wide">
					{probed ? null : (
						<button type="submit" className="primary" disabled={busy}>
							{busy ? "Connecting…" : "Connect"}
						</button>
					)}
					<button
						type="button"
						onClick={() => {
							dismissAdd();
							onDone();
						}}
						disabled={busy}
					>
						Cancel
					</button>
				</div>
			</form>
			{probed && adding ? <AddServerConfirm attempt={adding} probe={probed} onDone={onDone} /> : null}
			{adding && !probed && adding.error ? <ErrorBox error={adding.error} title="Could not look at the server" /> : null}
			{adding && !probed && busy ? <ActivityLog activity={adding.activity} label="Connecting" running={busy} /> : null}
		</section>
	);
}
