import { useEffect } from "react";
import { App, SERVER_VIEWS } from "../../App.js";
import { useSession } from "../../stores/session.js";
import { useUi } from "../../stores/ui.js";
import "../../styles/server-dashboard.css";
import { Account } from "./Account.js";
import { InvitePage, inviteToken } from "./InvitePage.js";
import { SignInPage } from "./SignInPage.js";

/**
 * Issue 17, item 4: the dashboard a server serves. At load, the refresh cookie (if any)
 * buys an access token; without one, the sign-in page. `/invite#<token>` is where a
 * teammate's invite link lands: they set their password there and are signed in.
 */
export function ServerDashboard() {
	const { status, restore } = useSession();
	const go = useUi((state) => state.go);
	const invite = inviteToken();
	useEffect(() => {
		if (!invite) void restore();
	}, [invite, restore]);
	useEffect(() => {
		if (status === "signed-in") go("apps");
	}, [status, go]);

	if (status === "signed-in") return <App only={SERVER_VIEWS} account={<Account />} />;
	if (invite) return <InvitePage token={invite} />;
	if (status === "checking") return <main className="sign-in-page" aria-busy="true" />;
	return <SignInPage />;
}
