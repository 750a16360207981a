import { useSession } from "../../stores/session.js";

/** Who is signed in, and the two ways out: this browser, or every session of the member. */
export function Account() {
	const { member, byKey, signOut, busy } = useSession();
	return (
		<section className="account" aria-label="Account">
			<span className="muted" data-testid="signed-in-as">
				{member ? `${member.name} (${member.email})` : byKey ? "API key" : ""}
			</span>
			<button type="button" className="ghost" onClick={() => void signOut()} disabled={busy}>
				Sign out
			</button>
			{byKey ? null : (
				<button type="button" className="ghost" onClick={() => void signOut(true)} disabled={busy} title="Ends your sessions in every browser">
					Sign out everywhere
				</button>
			)}
		</section>
	);
}
