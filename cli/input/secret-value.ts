import { Writable } from "node:stream";
import { DeployError } from "../../core/protocol/errors.js";

/** The longest value the agent takes (core/protocol/env.ts envValue), in characters. */
const MAX_CHARS = 64 * 1024;

/**
 * `deploy env set KEY`: a value that is in no process's arguments and no shell history.
 * Piped (stdin not a terminal): stdin to its end, less one final newline (`echo` adds
 * it; a value of several lines keeps the others). On a terminal: a prompt on stderr
 * whose typing is not echoed. An empty value is refused: it is far likelier a
 * forgotten pipe than a wish (`KEY=` says that), and nothing has changed yet.
 */
export async function readSecretValue(key: string, signal: AbortSignal): Promise<string> {
	const value = process.stdin.isTTY ? await promptHidden(`Value of ${key} (typing is not shown): `, signal) : withoutFinalNewline(await readAll(process.stdin, key));
	if (value === "") {
		const why = process.stdin.isTTY ? "nothing was typed" : "stdin was empty";
		throw new DeployError("BAD_ARGUMENT", `${key} has no value: ${why}.`, `Pipe it in (\`printf %s "$VALUE" | deploy env set ${key}\`) or type it at the prompt; an empty value is written ${key}=.`);
	}
	if (value.length > MAX_CHARS) throw tooLong(key);
	return value;
}

function withoutFinalNewline(text: string): string {
	return text.endsWith("\r\n") ? text.slice(0, -2) : text.endsWith("\n") ? text.slice(0, -1) : text;
}

/** The whole stream, decoded once (no chunk boundary inside a character); refused past the agent's limit. */
async function readAll(stream: NodeJS.ReadableStream, key: string): Promise<string> {
	const chunks: Buffer[] = [];
	let bytes = 0;
	for await (const chunk of stream) {
		const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
		bytes += buffer.length;
		// A character is at most 4 bytes: past that many, the value is too long whatever it holds.
		if (bytes > 4 * MAX_CHARS + 2) throw tooLong(key);
		chunks.push(buffer);
	}
	return Buffer.concat(chunks).toString("utf8");
}

function tooLong(key: string): DeployError {
	return new DeployError("BAD_ARGUMENT", `The value of ${key} is longer than ${MAX_CHARS / 1024} Ki characters.`, "Keep large files out of the environment: put them on the server and pass their path.");
}

/**
 * One line from the terminal without echo: readline edits the line in raw mode and
 * "echoes" into a stream that drops it. Raw mode also turns Ctrl-C into a key, passed
 * on as the SIGINT the command handles (exit 130); Ctrl-D ends with nothing typed.
 */
async function promptHidden(question: string, signal: AbortSignal): Promise<string> {
	const { createInterface } = await import("node:readline");
	const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
	// Raw mode first, then the prompt: a person (or a script) that answers the moment the
	// prompt shows must never find the terminal still echoing.
	const reader = createInterface({ input: process.stdin, output: muted, terminal: true });
	process.stderr.write(question);
	try {
		return await new Promise<string>((resolve, reject) => {
			reader.once("line", resolve);
			reader.once("close", () => resolve(""));
			reader.once("SIGINT", () => process.kill(process.pid, "SIGINT"));
			signal.addEventListener("abort", () => reject(signal.reason), { once: true });
		});
	} finally {
		reader.close();
		process.stderr.write("\n");
	}
}
