// The access token of `deploy ui` travels in the URL's fragment (never sent to the
// server or written to its logs). Read it once, keep it for this tab only, and
// clear it from the address bar so it is not bookmarked or shared by accident.
const KEY = "deploy-ui-token";

export function takeToken(): string | null {
	const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
	if (match?.[1]) {
		const token = decodeURIComponent(match[1]);
		window.sessionStorage.setItem(KEY, token);
		window.history.replaceState(null, "", window.location.pathname + window.location.search);
		return token;
	}
	return window.sessionStorage.getItem(KEY);
}
