// A plain Node server: answers on $PORT at $HOST, the port and address the agent gives
// each instance (127.0.0.1: only the proxy reaches it). Run by hand, it listens everywhere.
import { createServer } from "node:http";

const message = "Hello from Deploy Platform";
const port = Number(process.env.PORT ?? 3000);

createServer((request, response) => {
	console.log(`${request.method} ${request.url}`);
	response.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
	response.end(`${message}\n`);
}).listen(port, process.env.HOST, () => console.log(`hello listening on ${port}`));

// Finish in-flight requests on SIGTERM, the way the agent stops an old release.
process.on("SIGTERM", () => process.exit(0));
