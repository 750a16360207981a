/** A status word with a colour that never carries the meaning alone (the word does). */
export function StatusBadge({ status }: { status: string }) {
	return <span className={`badge badge-${status.replace(/[^a-z-]/g, "")}`}>{status}</span>;
}
