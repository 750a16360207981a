import type { ReactNode } from "react";
import type { ErrorEnvelope } from "../../api/errors.js";

/** One section of the Overview: a titled card, what failed to load in one line, and a way to the full view. */
export function OverviewCard({
	id,
	title,
	error,
	more,
	wide,
	children,
}: {
	id: string;
	title: string;
	error?: ErrorEnvelope | null | undefined;
	more?: { label: string; onClick: () => void };
	wide?: boolean;
	children: ReactNode;
}) {
	return (
		<section className={`card overview-card${wide ? " wide" : ""}`} aria-labelledby={`overview-${id}-title`}>
			<header className="card-header">
				<h2 id={`overview-${id}-title`}>{title}</h2>
				{more ? (
					<button type="button" className="link-button" onClick={more.onClick}>
						{more.label}
					</button>
				) : null}
			</header>
			{/* A card that could not load says why in one line; the full error is in its own view. */}
			{error ? (
				<p className="muted" role="status">
					Unavailable: {error.message}
				</p>
			) : (
				children
			)}
		</section>
	);
}
