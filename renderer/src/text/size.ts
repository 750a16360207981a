// Sizes as the CLI writes them: pretty-bytes in binary units (512 B, 1.5 KiB, 12.3 MiB),
// the one byte formatter of both (the renderer bundles none of the CLI's code, so each
// calls the library with the same option).
import prettyBytes from "pretty-bytes";

export function formatSize(bytes: number): string {
	return prettyBytes(bytes, { binary: true });
}
