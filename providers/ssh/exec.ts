// Exec channels over the one connection: open one, read its marker line, or run one
// to the end. Remote stderr is kept (the tail of it) for error details.
import { StringDecoder } from "node:string_decoder";
import type { Client, ClientChannel } from "ssh2";
import { DeployError } from "../../core/protocol/errors.js";
import { type Marker, parseMarker } from "./remote-scripts.js";

export function openExec(client: Client, command: string): Promise<ClientChannel> {
	return new Promise((resolve, reject) => {
		client.exec(command, (error, channel) => {
			if (error) reject(new DeployError("SSH_EXEC_FAILED", `The server refused to run a command: ${error.message}`, "Check that the account has a shell (not nologin)."));
			else resolve(channel);
		});
	});
}

/** The last lines a stream wrote, for error details. */
export function tailOf(stream: NodeJS.ReadableStream, maxLines = 20): () => string[] {
	let text = "";
	// One decoder for the stream: a chunk may end inside a multi-byte character.
	const decoder = new StringDecoder("utf8");
	stream.on("data", (chunk: Buffer) => {
		text = (text + decoder.write(chunk)).slice(-16_384);
	});
	return () => text.split("\n").map((line) => line.trimEnd()).filter(Boolean).slice(-maxLines);
}

export interface MarkerRead {
	/** Null when stdout ended without one. */
	marker: Marker | null;
	/** Bytes after the marker line: the start of the RPC stream, if any. */
	rest: Buffer;
	/** Lines before the marker (a login banner from an rc file); kept for error details. */
	noise: string[];
}

/** Reads stdout up to the first marker line, then pauses the channel for the next reader. */
export function readMarker(channel: ClientChannel): Promise<MarkerRead> {
	return new Promise((resolve) => {
		let buffered = Buffer.alloc(0);
		const noise: string[] = [];
		const finish = (marker: Marker | null, rest: Buffer) => {
			channel.off("data", onData);
			channel.off("end", onEnd);
			channel.pause();
			resolve({ marker, rest, noise });
		};
		const onData = (chunk: Buffer) => {
			buffered = Buffer.concat([buffered, chunk]);
			for (let nl = buffered.indexOf(10); nl !== -1; nl = buffered.indexOf(10)) {
				const line = buffered.subarray(0, nl).toString("utf8").trimEnd();
				buffered = buffered.subarray(nl + 1);
				const marker = parseMarker(line);
				if (marker) return finish(marker, buffered);
				if (noise.length < 20) noise.push(line);
			}
		};
		const onEnd = () => finish(null, buffered);
		channel.on("data", onData);
		channel.on("end", onEnd);
	});
}

/** Resolves with the exit code once the channel has closed. */
export function exitOf(channel: ClientChannel): Promise<number | null> {
	return new Promise((resolve) => {
		let code: number | null = null;
		channel.on("exit", (exitCode: number | null) => {
			code = exitCode;
		});
		channel.on("close", () => resolve(code));
	});
}
