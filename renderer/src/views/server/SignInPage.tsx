import { type FormEvent, useState } from "react";
import { ErrorBox } from "../../components/ErrorBox.js";
import { useSession } from "../../stores/session.js";

/** Email and password; or an API key (dp_…) for someone who has one and no login. Nothing is kept but in memory. */
export function SignInPage() {
	const { signIn, signInWithKey, busy, error } = useSession();
	const [withKey, setWithKey] = useState(false);

	async function submit(event: FormEvent<HTMLFormElement>) {
		event.preventDefault();
		const form = new FormData(event.currentTarget);
		if (withKey) signInWithKey(String(form.get("key") ?? "").trim());
		else await signIn(String(form.get("email") ?? "").trim(), String(form.get("password") ?? ""));
	}

	return (
		<main className="sign-in-page">
			<form className="card sign-in" onSubmit={submit} aria-labelledby="sign-in-title">
				<h1 id="sign-in-title">Sign in to {window.location.hostname}</h1>
				{withKey ? (
					<label className="field">
						<span>API key</span>
						<input name="key" type="password" required pattern="dp_[A-Za-z0-9_\-]{20,200}" autoComplete="off" placeholder="dp_…" />
					</label>
				) : (
					<>
						<label className="field">
							<span>Email</span>
							<input name="email" type="email" required autoComplete="username" />
						</label>
						<label className="field">
							<span>Password</span>
							<input name="password" type="password" required autoComplete="current-password" />
						</label>
					</>
				)}
				{error ? <ErrorBox error={error} title="Not signed in" /> : null}
				<button type="submit" className="primary" disabled={busy}>
					{busy ? "Signing in…" : "Sign in"}
				</button>
				<button type="button" className="link-button" onClick={() => setWithKey(!withKey)}>
					{withKey ? "Sign in with email and password" : "Use an API key instead"}
				</button>
				<p className="muted">No account yet? Ask the server's owner for an invite link.</p>
			</form>
		</main>
	);
}
