import { type ButtonHTMLAttributes, useId } from "react";

type Props = ButtonHTMLAttributes<HTMLButtonElement> & {
	/** Why the caller's role may not use it (useWhyNot); null: enabled as the view decides. */
	reason: string | null;
	/** Say the reason beside the button; off where one note for many buttons says it (WhyNotNote). */
	note?: boolean;
};

/**
 * Issue 16, item 6: a button the caller's role cannot use is disabled, with the reason
 * as its title, its accessible description and (a tooltip alone would hide it) in words
 * beside it. The server still refuses the call: this only spares the click.
 */
export function RoleButton({ reason, note = true, disabled, title, children, ...rest }: Props) {
	const id = useId();
	return (
		<>
			<button {...rest} disabled={Boolean(disabled) || reason !== null} title={reason ?? title} aria-describedby={reason && note ? id : undefined}>
				{children}
			</button>
			{reason && note ? (
				<span id={id} className="why-not">
					{reason}
				</span>
			) : null}
		</>
	);
}

/** One reason for a group of buttons (the rows of a table), said once above them. */
export function WhyNotNote({ what, reason }: { what: string; reason: string | null }) {
	if (!reason) return null;
	return (
		<p className="why-not" data-testid="why-not">
			{what}: {reason.charAt(0).toLowerCase() + reason.slice(1)}
		</p>
	);
}
