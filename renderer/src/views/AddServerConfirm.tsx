import { type FormEvent, useState } from "react";
import type { ServerProbe } from "../api/bridge.js";
import { ActivityLog } from "../components/ActivityLog.js";
import { ErrorBox } from "../components/ErrorBox.js";
import { type AddAttempt, type AddChoices, useServers } from "../stores/servers.js";

/**
 * The second step of adding a server: the host key to compare before anything is
 * trusted, the proxy that works there (preselected), its ports and TLS. "Trust and add"
 * pins exactly the fingerprint shown; a server that shows another key by then is refused.
 */
export function AddServerConfirm({ attempt, probe, onDone }: { attempt: AddAttempt; probe: ServerProbe; onDone: () => void }) {
	const { add, dismissAdd } = useServers();
	const [proxy, setProxy] = useState(probe.recommendedProxy);
	const [httpPort, setHttpPort] = useState("");
	const [httpsPort, setHttpsPort] = useState("");
	const [tls, setTls] = useState(true);
	const busy = attempt.running;

	async function trust(event: FormEvent<HTMLFormElement>) {
		event.preventDefault();
		const form = new FormData(event.currentTarget);
		const text = (key: string) => String(form.get(key) ?? "").trim();
		const choices: AddChoices = {
			proxy,
			tls,
			...(httpPort ? { httpPort: Number(httpPort) } : {}),
			...(httpsPort ? { httpsPort: Number(httpsPort) } : {}),
			...(tls && text("acmeCa") ? { acmeCa: text("acmeCa") } : {}),
			...(tls && text("acmeEmail") ? { acmeEmail: text("acmeEmail") } : {}),
		};
		if (await add(choices)) onDone();
	}

	return (
		<form className="confirm" role="alertdialog" aria-labelledby="host-key-title" aria-describedby="host-key-text" onSubmit={trust}>
			<h3 id="host-key-title">Trust this server?</h3>
			<p id="host-key-text">
				{probe.user}@{probe.where}{" "}
				{probe.hostKeyKnown
					? "presents the host key your known_hosts lists for it."
					: "presents a host key this machine has not seen. Compare its fingerprint with the one on the server"}
				{probe.hostKeyKnown ? null : (
					<>
						{" "}
						(<code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>).
					</>
				)}{" "}
				Nothing has been trusted, stored or changed yet.
			</p>
			<p className="fingerprint" data-testid="fingerprint">
				{probe.hostKeyFingerprint}
			</p>
			<fieldset className="choice" disabled={busy}>
				<legend>Proxy</legend>
				{probe.proxies.map((option) => (
					<label key={option.kind} className="choice-option">
						<input type="radio" name="proxy" value={option.kind} checked={proxy === option.kind} onChange={() => setProxy(option.kind)} />
						<span>
							<strong>{option.kind === "caddy" ? "Caddy" : "Traefik"}</strong>
							{option.kind === probe.recommendedProxy ? <span className="badge badge-done">works here</span> : null}
							<span className="choice-note">{option.note}</span>
						</span>
					</label>
				))}
			</fieldset>
			<div className="form-grid">
				<PortField label="HTTP port" name="httpPort" placeholder="80" value={httpPort} onChange={setHttpPort} busyPorts={probe.listeningPorts} disabled={busy} />
				<PortField label="HTTPS port" name="httpsPort" placeholder="443" value={httpsPort} onChange={setHttpsPort} busyPorts={probe.listeningPorts} disabled={busy} />
			</div>
			<fieldset className="choice" disabled={busy}>
				<legend>TLS</legend>
				<label className="choice-option">
					<input type="checkbox" name="tls" checked={tls} onChange={(event) => setTls(event.target.checked)} />
					<span>
						<strong>HTTPS with certificates from ACME</strong>
						<span className="choice-note">{tls ? "custom domains get certificates, HTTP redirects to HTTPS" : "plain HTTP only: no certificates, no redirects (private networks, tests)"}</span>
					</span>
				</label>
				{tls ? (
					<div className="form-grid">
						<label className="field wide">
							<span>ACME directory</span>
							<input name="acmeCa" type="url" placeholder="Let's Encrypt (default)" autoComplete="off" />
						</label>
						<label className="field wide">
							<span>ACME contact email</span>
							<input name="acmeEmail" type="email" placeholder="expiry notices (optional)" autoComplete="off" />
						</label>
					</div>
				) : null}
			</fieldset>
			<div className="actions">
				<button type="submit" className="primary" disabled={busy}>
					{busy ? "Setting up…" : "Trust and add"}
				</button>
				<button type="button" onClick={dismissAdd} disabled={busy}>
					Don’t trust
				</button>
			</div>
			{busy || attempt.activity.lines.length > 0 ? <ActivityLog activity={attempt.activity} label="Setting up the server" running={busy} /> : null}
			{attempt.error ? <ErrorBox error={attempt.error} title="The server was not added" /> : null}
		</form>
	);
}

/** A port field that says at once when something on the server listens there already. */
function PortField(props: { label: string; name: string; placeholder: string; value: string; onChange: (value: string) => void; busyPorts: number[]; disabled: boolean }) {
	const port = Number(props.value || props.placeholder);
	const inUse = props.busyPorts.includes(port);
	// The warning sits outside the label, so the field's name stays "HTTP port".
	return (
		<div className="field">
			<label className="field">
				<span>{props.label}</span>
				<input name={props.name} type="number" min={1} max={65535} placeholder={props.placeholder} value={props.value} onChange={(event) => props.onChange(event.target.value)} disabled={props.disabled} aria-invalid={inUse} />
			</label>
			{inUse ? (
				<small className="field-warning" role="status">
					Port {port} is in use on the server: the proxy could not listen there.
				</small>
			) : null}
		</div>
	);
}
