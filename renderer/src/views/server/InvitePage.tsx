import { type FormEvent, useState } from "react";
import { ErrorBox } from "../../components/ErrorBox.js";
import { useSession } from "../../stores/session.js";

/** The invite's one-time token: in the URL's fragment, which the browser never sends to a server or writes in its logs. */
export function inviteToken(): string | null {
	if (window.location.pathname !== "/invite") return null;
	const token = window.location.hash.slice(1);
	return token ? decodeURIComponent(token) : null;
}

/** Where an invite link lands: the new member sets a password and is signed in. */
export function InvitePage({ token }: { token: string }) {
	const { acceptInvite, busy, error } = useSession();
	const [mismatch, setMismatch] = useState(false);

	async function submit(event: FormEvent<HTMLFormElement>) {
		event.preventDefault();
		const form = new FormData(event.currentTarget);
		const password = String(form.get("password") ?? "");
		setMismatch(password !== String(form.get("again") ?? ""));
		if (password !== String(form.get("again") ?? "")) return;
		await acceptInvite(token, password);
		// Spent: the address bar no longer shows it, and a reload does not offer it again.
		if (useSession.getState().status === "signed-in") window.history.replaceState(null, "", "/");
	}

	return (
		<main className="sign-in-page">
			<form className="card sign-in" onSubmit={submit} aria-labelledby="invite-title">
				<h1 id="invite-title">Set your password</h1>
				<p className="muted">You were invited to deploy on this server. Choose a password to sign in with from now on.</p>
				<label className="field">
					<span>New password</span>
					<input name="password" type="password" required minLength={12} autoComplete="new-password" />
				</label>
				<label className="field">
					<span>The same again</span>
					<input name="again" type="password" required minLength={12} autoComplete="new-password" />
				</label>
				{mismatch ? (
					<p className="why-not" role="alert">
						The two passwords differ.
					</p>
				) : null}
				{error ? <ErrorBox error={error} title="The password was not set" /> : null}
				<button type="submit" className="primary" disabled={busy}>
					{busy ? "Setting…" : "Set password and sign in"}
				</button>
			</form>
		</main>
	);
}
