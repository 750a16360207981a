/**
 * Issue 14: a one-line spinner for a wait that has no progress to show (a certificate
 * being issued). Only on a terminal: piped output gets the started line once, as
 * every other step. Too small a job for a dependency.
 */
const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export interface Spinner {
	/** Clears the spinner's line, so the step's end line takes its place. */
	stop(): void;
}

export function startSpinner(stream: NodeJS.WriteStream, text: string): Spinner {
	if (!stream.isTTY) {
		stream.write(`… ${text}\n`);
		return { stop: () => undefined };
	}
	const started = Date.now();
	let frame = 0;
	const draw = () => {
		const seconds = Math.floor((Date.now() - started) / 1000);
		stream.write(`\r\u001b[2K${FRAMES[frame++ % FRAMES.length]} ${text} ${seconds}s`);
	};
	draw();
	const timer = setInterval(draw, 100);
	timer.unref();
	return {
		stop: () => {
			clearInterval(timer);
			stream.write("\r\u001b[2K");
		},
	};
}
