// Issue 14 (item 10): an app's or a build's colours (morgan's status codes, a bundler's
// green "built"), shown as colours instead of raw `[32m`. Only SGR's foreground colours
// and bold/dim/italic/underline are kept, as classes the theme maps to readable colours
// (an app's black-on-black cannot hide a line); every other escape sequence and control
// character is dropped, as the CLI drops them (cli/output/terminal-text.ts, whose
// patterns these are: the renderer bundles none of core's or the CLI's code). Pure.

export interface AnsiSegment {
	text: string;
	/** Space-separated classes: `ansi-fg-0`..`ansi-fg-15`, `ansi-bold`, `ansi-dim`, `ansi-italic`, `ansi-underline`. */
	className: string;
}

interface Style {
	fg: number | null;
	bold: boolean;
	dim: boolean;
	italic: boolean;
	underline: boolean;
}

const plain = (): Style => ({ fg: null, bold: false, dim: false, italic: false, underline: false });

// OSC/DCS/SOS/PM/APC strings, CSI sequences (the group captures an SGR's parameters), other escapes.
const SEQUENCES =
	// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point
	/(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)|(?:\x1b\[|\x9b)(?:([0-9;:]*)m|[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e])|\x1b[\x20-\x2f]*[\x30-\x7e]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** The text as styled runs, without any escape sequence or control character (tab stays). */
export function ansiSegments(text: string): AnsiSegment[] {
	const segments: AnsiSegment[] = [];
	let style = plain();
	let at = 0;
	const push = (part: string) => {
		const clean = part.replace(CONTROLS, "");
		if (clean === "") return;
		const className = classesOf(style);
		const last = segments.at(-1);
		if (last && last.className === className) last.text += clean;
		else segments.push({ text: clean, className });
	};
	for (const match of text.matchAll(SEQUENCES)) {
		push(text.slice(at, match.index));
		at = match.index + match[0].length;
		if (match[1] !== undefined) style = applySgr(style, match[1]);
	}
	push(text.slice(at));
	return segments;
}

/** The text alone: what search and copy see. */
export function ansiPlain(text: string): string {
	return ansiSegments(text)
		.map((segment) => segment.text)
		.join("");
}

function applySgr(current: Style, parameters: string): Style {
	const codes = parameters === "" ? [0] : parameters.split(/[;:]/).map((code) => (code === "" ? 0 : Number(code)));
	let style = { ...current };
	for (let i = 0; i < codes.length; i++) {
		const code = codes[i] ?? 0;
		if (code === 0) style = plain();
		else if (code === 1) style.bold = true;
		else if (code === 2) style.dim = true;
		else if (code === 3) style.italic = true;
		else if (code === 4) style.underline = true;
		else if (code === 22) style = { ...style, bold: false, dim: false };
		else if (code === 23) style.italic = false;
		else if (code === 24) style.underline = false;
		else if (code >= 30 && code <= 37) style.fg = code - 30;
		else if (code >= 90 && code <= 97) style.fg = code - 90 + 8;
		else if (code === 39) style.fg = null;
		// 256-colour and RGB forms carry arguments: skipped whole (the theme has 16 colours), as are backgrounds.
		else if (code === 38 || code === 48) i += codes[i + 1] === 5 ? 2 : codes[i + 1] === 2 ? 4 : 1;
	}
	return style;
}

function classesOf(style: Style): string {
	return [style.fg === null ? "" : `ansi-fg-${style.fg}`, style.bold ? "ansi-bold" : "", style.dim ? "ansi-dim" : "", style.italic ? "ansi-italic" : "", style.underline ? "ansi-underline" : ""].filter(Boolean).join(" ");
}
