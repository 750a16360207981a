import { createSocket, type Socket } from "node:dgram";
import { readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { writeFileAtomic } from "../../../fs/atomic-write.js";
import { answerQuery, maxUdpReply, truncatedReply } from "./answer.js";
import { upstreamDnsPaths } from "./names.js";
import { readUpstreamTable, type UpstreamTable } from "./table.js";

/**
 * `node agent.mjs upstream-dns <proxy dir>`: the resolver Caddy asks which instances
 * serve each app. A process of its own, started with Caddy and not with the agent, so
 * Caddy keeps routing to the live instances while the agent is down (killed, crashed,
 * being upgraded). It serves the table the agent writes (./table.ts), read again
 * whenever the file changes, on the port the agent chose, on 127.0.0.1, UDP and TCP
 * (Go asks again over TCP for a reply marked truncated).
 */
export async function runUpstreamDns(args: string[]): Promise<void> {
	const [dir] = args;
	if (!dir) {
		process.stderr.write("usage: node agent.mjs upstream-dns <proxy dir>\n");
		process.exitCode = 2;
		return;
	}
	const paths = upstreamDnsPaths(dir);
	const port = Number.parseInt((await readFileOrEmpty(paths.port)).trim(), 10);
	if (!(port > 0 && port < 65536)) throw new Error(`no port in ${paths.port}: the agent writes it before it starts the resolver`);
	const table = new TableFile(paths.table);
	const udp = await bindUdp(port);
	const tcp = await listenTcp(port);
	udp.on("message", async (message, peer) => {
		const reply = answerQuery(await table.current(), message);
		const sent = reply && reply.length > maxUdpReply ? truncatedReply(message) : reply;
		if (sent) udp.send(sent, peer.port, peer.address);
	});
	tcp.on("connection", (connection) => {
		connection.on("error", () => connection.destroy());
		let pending = Buffer.alloc(0);
		connection.on("data", async (chunk: Buffer) => {
			pending = Buffer.concat([pending, chunk]);
			// Each message is prefixed with its 16-bit length (RFC 1035, 4.2.2).
			while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
				const message = pending.subarray(2, 2 + pending.readUInt16BE(0));
				pending = pending.subarray(2 + message.length);
				const reply = answerQuery(await table.current(), message);
				if (reply) connection.write(Buffer.concat([lengthPrefix(reply.length), reply]));
			}
		});
	});
	// Its own pid file, as Caddy writes one: whoever started it (the agent, its unit at
	// boot), the agent finds and stops this process by it.
	await writeFileAtomic(paths.pid, `${process.pid}\n`);
	process.stdout.write(`upstream-dns: answering on 127.0.0.1:${port} (udp, tcp) from ${paths.table}\n`);
	const stop = () => {
		udp.close();
		tcp.close();
		process.exit(0);
	};
	process.once("SIGTERM", stop);
	process.once("SIGINT", stop);
}

/** The table, read again only when the file was replaced (the agent's writes are atomic renames). */
class TableFile {
	#table: UpstreamTable = {};
	#version = "";

	constructor(private readonly file: string) {}

	async current(): Promise<UpstreamTable> {
		const seen = await stat(this.file).then(
			(s) => `${s.ino}:${s.mtimeMs}:${s.size}`,
			() => "",
		);
		if (seen !== this.#version) {
			this.#table = seen === "" ? {} : await readUpstreamTable(this.file);
			this.#version = seen;
		}
		return this.#table;
	}
}

function readFileOrEmpty(file: string): Promise<string> {
	return readFile(file, "utf8").catch(() => "");
}

function lengthPrefix(length: number): Buffer {
	const prefix = Buffer.alloc(2);
	prefix.writeUInt16BE(length);
	return prefix;
}

function bindUdp(port: number): Promise<Socket> {
	return new Promise((resolve, reject) => {
		const socket = createSocket("udp4");
		socket.once("error", reject);
		socket.bind(port, "127.0.0.1", () => {
			socket.off("error", reject);
			resolve(socket);
		});
	});
}

function listenTcp(port: number): Promise<Server> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once("error", reject);
		server.listen(port, "127.0.0.1", () => {
			server.off("error", reject);
			resolve(server);
		});
	});
}
