import { useSession } from "../../stores/session.js";

/**
 * Who is signed in, and the two ways out: this browser, or every session of the member.
 * Signing out loads the page afresh: nothing the stores hold of this person (their apps,
 * their role's refusals) stays in memory for whoever signs in next.
 */
export function Account() {
	const { member, byKey, signOut: end, busy } = useSession();
	const signOut = async (everywhere?: boolean) => {
		await end(everywhere);
		window.location.replace("/");
	};
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
