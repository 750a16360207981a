// Answers its version, from $VERSION or the VERSION file, on $PORT (the agent gives
// each instance its own). /healthz is the health check; /status/<code> answers that
// status, to try a failing health check.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const version = (process.env.VERSION ?? readVersionFile()).trim();
const port = Number(process.env.PORT ?? 3000);
let stopping = false;

const server = createServer((request, response) => {
	// While stopping, close each connection after its answer, so the proxy stops reusing it.
	if (stopping) response.setHeader("connection", "close");
	const status = /^\/status\/(\d{3})$/.exec(request.url ?? "");
	if (status) {
		response.writeHead(Number(status[1]), { "content-type": "text/plain" }).end(`status ${status[1]}\n`);
	} else if (request.url === "/healthz") {
		response.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
	} else {
		response.writeHead(200, { "content-type": "text/plain" }).end(`${version}\n`);
	}
});
server.keepAliveTimeout = 5_000;
server.listen(port, process.env.HOST, () => console.log(`versioned ${version} listening on ${port}`));

// The agent's graceful stop: stop accepting, finish what is in flight, then exit.
// SIGKILL comes after the drain time if this takes too long.
process.on("SIGTERM", () => {
	console.log(`versioned ${version} draining`);
	stopping = true;
	server.close(() => process.exit(0));
	server.closeIdleConnections();
	// Keep-alive connections that were busy become idle after their answer: close those too.
	setInterval(() => server.closeIdleConnections(), 100).unref();
});

function readVersionFile() {
	try {
		return readFileSync(new URL("./VERSION", import.meta.url), "utf8");
	} catch {
		return "unknown";
	}
}
