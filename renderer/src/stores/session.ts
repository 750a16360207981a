import { create } from "zustand";
import * as auth from "../api/auth.js";
import { type ErrorEnvelope, toEnvelope } from "../api/errors.js";

/**
 * Issue 17, item 4: who is signed in to the dashboard a server serves. The access token
 * lives here, in memory only (never localStorage or sessionStorage: a script that got
 * in could read those), so a reload asks for a new one with the refresh cookie.
 * `key` is an API key (dp_…) given instead of a login: it works as a bearer the same way.
 */
export type SessionStatus = "checking" | "signed-out" | "signed-in";

interface SessionState {
	status: SessionStatus;
	accessToken: string | null;
	member: auth.Member | null;
	/** Signed in with an API key, not a login: nothing to refresh. */
	byKey: boolean;
	error: ErrorEnvelope | null;
	busy: boolean;
	/** At load: a refresh cookie left from before gives a new access token. */
	restore(): Promise<void>;
	/** After TOKEN_EXPIRED: one refresh; false when it failed (signed out). */
	renew(): Promise<boolean>;
	signIn(email: string, password: string): Promise<void>;
	signInWithKey(key: string): void;
	acceptInvite(token: string, password: string): Promise<void>;
	signOut(everywhere?: boolean): Promise<void>;
}

const signedOut = { status: "signed-out" as const, accessToken: null, member: null, byKey: false };

export const useSession = create<SessionState>()((set, get) => {
	const take = (signed: auth.SignedIn) => set({ status: "signed-in", accessToken: signed.accessToken, member: signed.member, byKey: false, error: null });
	const attempt = async (work: () => Promise<auth.SignedIn>) => {
		set({ busy: true, error: null });
		try {
			take(await work());
		} catch (error) {
			set({ ...signedOut, error: toEnvelope(error) });
		} finally {
			set({ busy: false });
		}
	};
	// Two calls that expire together refresh once: the refresh token rotates, and a second use of the old one would end the session.
	let renewing: Promise<boolean> | null = null;
	return {
		status: "checking",
		accessToken: null,
		member: null,
		byKey: false,
		error: null,
		busy: false,
		async restore() {
			try {
				take(await auth.refresh());
			} catch {
				set(signedOut);
			}
		},
		renew() {
			if (get().byKey) return Promise.resolve(false);
			renewing ??= (async () => {
				try {
					take(await auth.refresh());
					return true;
				} catch {
					set({ ...signedOut, error: { code: "SESSION_ENDED", message: "Your session ended.", hint: "Sign in again." } });
					return false;
				} finally {
					renewing = null;
				}
			})();
			return renewing;
		},
		signIn: (email, password) => attempt(() => auth.login(email, password)),
		signInWithKey: (key) => set({ status: "signed-in", accessToken: key, member: null, byKey: true, error: null }),
		acceptInvite: (token, password) => attempt(() => auth.acceptInvite(token, password)),
		async signOut(everywhere = false) {
			const { accessToken, byKey } = get();
			set({ busy: true });
			try {
				if (!byKey) await (everywhere && accessToken ? auth.logoutEverywhere(accessToken) : auth.logout());
			} catch {
				// Signed out here whatever the server said: the token is dropped from memory below.
			} finally {
				set({ ...signedOut, busy: false, error: null });
			}
		},
	};
});
