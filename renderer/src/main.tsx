import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { selectBridge } from "./api/select.js";
import { App } from "./App.js";
import "./styles/tokens.css";
import "./styles/app.css";

const root = createRoot(document.getElementById("root")!);

if (selectBridge()) {
	root.render(
		<StrictMode>
			<App />
		</StrictMode>,
	);
} else {
	root.render(
		<main className="content">
			<h1>Deploy</h1>
			<p>This page needs its access token. Open the URL that `deploy ui` printed (it ends in #token=…).</p>
		</main>,
	);
}
