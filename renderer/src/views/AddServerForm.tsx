import { type FormEvent, useState } from "react";
import type { AddServerInput } from "../api/bridge.js";
import { ActivityLog } from "../components/ActivityLog.js";
import { ErrorBox } from "../components/ErrorBox.js";
import { useServers } from "../stores/servers.js";

/**
 * Adding a server: the first attempt never trusts an unknown host key; the person
 * sees the fingerprint and decides ("Trust and add" retries with acceptNewHostKey).
 */
export function AddServerForm({ onDone }: { onDone: () => void }) {
	const { adding, add, dismissAdd } = useServers();
	const [proxy, setProxy] = useState<"caddy" | "traefik">("traefik");

	async function submit(event: FormEvent<HTMLFormElement>) {
		event.preventDefault();
		const form = new FormData(event.currentTarget);
		const text = (key: string) => String(form.get(key) ?? "").trim();
		const number = (key: string) => (text(key) ? Number(text(key)) : undefined);
		const input: AddServerInput = {
			name: text("name"),
			destination: text("destination"),
			proxy,
			...(number("port") ? { port: number("port") } : {}),
			...(text("identityFile") ? { identityFile: text("identityFile") } : {}),
			...(number("httpPort") ? { httpPort: number("httpPort") } : {}),
			...(number("httpsPort") ? { httpsPort: number("httpsPort") } : {}),
		};
		if (await add(input)) onDone();
	}

	async function trust() {
		if (adding && (await add(adding.input, true))) onDone();
	}

	const busy = adding?.running ?? false;
	return (
		<section className="card" aria-labelledby="add-server-title">
			<h2 id="add-server-title">Add a server</h2>
			<form className="form-grid" onSubmit={submit}>
				<label className="field">
					<span>Name</span>
					<input name="name" required pattern="[a-z0-9][a-z0-9\-]*" placeholder="prod" autoComplete="off" />
				</label>
				<label className="field">
					<span>SSH destination</span>
					<input name="destination" required placeholder="root@203.0.113.7" autoComplete="off" />
				</label>
				<label className="field">
					<span>SSH port</span>
					<input name="port" type="number" min={1} max={65535} placeholder="22" />
				</label>
				<label className="field wide">
					<span>Identity file (private key path)</span>
					<input name="identityFile" placeholder="~/.ssh/id_ed25519 (default: your SSH agent and keys)" autoComplete="off" />
				</label>
				<label className="field">
					<span>Proxy</span>
					<select name="proxy" value={proxy} onChange={(event) => setProxy(event.target.value as "caddy" | "traefik")}>
						<option value="traefik">Traefik</option>
						<option value="caddy">Caddy</option>
					</select>
				</label>
				<label className="field">
					<span>HTTP port</span>
					<input name="httpPort" type="number" min={1} max={65535} placeholder="80" />
				</label>
				<label className="field">
					<span>HTTPS port</span>
					<input name="httpsPort" type="number" min={1} max={65535} placeholder="443" />
				</label>
				<div className="actions wide">
					<button type="submit" className="primary" disabled={busy || Boolean(adding?.fingerprint)}>
						{busy ? "Connecting…" : "Connect"}
					</button>
					<button type="button" onClick={onDone} disabled={busy}>
						Cancel
					</button>
				</div>
			</form>
			{adding?.fingerprint ? (
				<div className="confirm" role="alertdialog" aria-labelledby="host-key-title" aria-describedby="host-key-text">
					<h3 id="host-key-title">Trust this server?</h3>
					<p id="host-key-text">
						{adding.input.destination} presents a host key this machine has not seen. Compare its fingerprint with the one on the server (
						<code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>) before trusting it:
					</p>
					<p className="fingerprint" data-testid="fingerprint">
						{adding.fingerprint}
					</p>
					<div className="actions">
						<button type="button" className="primary" onClick={trust} disabled={busy}>
							Trust and add
						</button>
						<button type="button" onClick={dismissAdd} disabled={busy}>
							Don’t trust
						</button>
					</div>
				</div>
			) : null}
			{adding && !adding.fingerprint && (adding.running || adding.activity.lines.length > 0) ? <ActivityLog activity={adding.activity} label="Setting up the server" running={adding.running} /> : null}
			{adding?.error ? <ErrorBox error={adding.error} title="The server was not added" /> : null}
		</section>
	);
}
