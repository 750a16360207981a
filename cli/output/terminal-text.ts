/**
 * Text from a server (an app's log lines, build output, messages and error details
 * that quote them) made safe to print: a terminal obeys control sequences in what it
 * is given, so an app could clear the user's screen, retitle the window, write the
 * clipboard (OSC 52) or hide a line. Everything that is not printable goes, colours
 * (SGR) included: an app's colours are not worth a second, riskier parser that lets
 * some sequences through. `--json` prints the original text, escaped by JSON.
 *
 * Not strip-ansi or node's stripVTControlCharacters: their patterns leave OSC strings
 * with spaces or `+` in them (a title, base64 for OSC 52) and bare C0 controls behind.
 */

// Order matters: string commands and CSI before the two-byte escapes they start like.
const SEQUENCES = new RegExp(
	[
		// OSC, DCS, SOS, PM, APC (ESC ] P X ^ _, or their C1 forms) up to BEL or ST
		// (ESC \ or C1 ST); unterminated, to the end: a terminal would swallow the rest too.
		"(?:\\x1b[\\]PX^_]|[\\x90\\x98\\x9d\\x9e\\x9f])[^]*?(?:\\x07|\\x1b\\\\|\\x9c|$)",
		// CSI (ESC [ or C1 CSI): parameter bytes, intermediate bytes, one final byte.
		"(?:\\x1b\\[|\\x9b)[\\x30-\\x3f]*[\\x20-\\x2f]*[\\x40-\\x7e]",
		// Any other escape: intermediates and a final byte (ESC c resets, ESC ( B, ESC 7...).
		"\\x1b[\\x20-\\x2f]*[\\x30-\\x7e]",
	].join("|"),
	"g",
);

// Whatever is left of a broken sequence, and every other C0/C1 control (BEL, BS, CR,
// DEL...): tab and newline stay. This pass alone already makes the text inert.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** `text` without terminal control sequences or control characters other than tab and newline. */
export function printable(text: string): string {
	return text.replace(SEQUENCES, "").replace(CONTROLS, "");
}
