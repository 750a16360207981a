// The one byte formatter of the client and the agent (here because the agent imports
// only core/protocol): pretty-bytes in binary units, 512 B, 1.5 KiB, 12.3 MiB, 2 GiB.
// The renderer bundles none of this; renderer/src/text/size.ts calls the library the same way.
import prettyBytes from "pretty-bytes";

export function formatSize(bytes: number): string {
	return prettyBytes(bytes, { binary: true });
}
