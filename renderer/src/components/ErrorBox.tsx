import type { ErrorEnvelope } from "../api/errors.js";

/** An error as a person reads it: what went wrong, what to do next, and the facts behind it. */
export function ErrorBox({ error, title }: { error: ErrorEnvelope; title?: string }) {
	return (
		<div className="error-box" role="alert">
			<p className="error-title">
				{title ?? "Failed"} <code className="error-code">{error.code}</code>
			</p>
			<p className="error-message">{error.message}</p>
			{error.hint ? <p className="error-hint">{error.hint}</p> : null}
			{error.details?.length ? (
				<details>
					<summary>Details</summary>
					<pre className="log-lines">{error.details.join("\n")}</pre>
				</details>
			) : null}
		</div>
	);
}
