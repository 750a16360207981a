import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { selectBridge } from "./api/select.js";
import { App } from "./App.js";
import { ServerDashboard } from "./views/server/ServerDashboard.js";
import "./styles/tokens.css";
import "./styles/app.css";

const root = createRoot(document.getElementById("root")!);

void selectBridge().then((selection) => {
	if ("bridge" in selection) {
		root.render(<StrictMode>{selection.server ? <ServerDashboard /> : <App />}</StrictMode>);
	} else {
		const { error } = selection;
		root.render(
			<main className="content">
				<h1>Deploy</h1>
				<p role="alert">{error ? error.message : "This page needs its launch link. Open the URL that `deploy ui` printed (it ends in #launch=…)."}</p>
				{error?.hint ? <p>{error.hint}</p> : null}
			</main>,
		);
	}
});
