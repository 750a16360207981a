// Issue 15, item 4: the agent's static site server and `deploy ui`'s file server send
// the same content types, from one table (core/protocol/content-type.ts). Both real
// servers on 127.0.0.1, asked as a browser asks.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, test } from "vitest";
import { createStaticServer } from "../../../agents/static/server.js";
import { serveStatic } from "../../../core/transport/static-files.js";

const FILES: Record<string, string> = {
	"index.html": "text/html; charset=utf-8",
	"assets/app.js": "text/javascript; charset=utf-8",
	"data.json": "application/json; charset=utf-8",
	"photo.webp": "image/webp",
	"favicon.ico": "image/x-icon",
	"site.webmanifest": "application/manifest+json; charset=utf-8",
	"LICENSE": "application/octet-stream",
};

let dir: string;
const servers: Server[] = [];

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), "static-types-"));
	await mkdir(join(dir, "assets"));
	for (const name of Object.keys(FILES)) await writeFile(join(dir, name), "x");
});

afterAll(async () => {
	for (const server of servers) await new Promise((done) => server.close(done));
	await rm(dir, { recursive: true, force: true });
});

async function listen(server: Server): Promise<number> {
	servers.push(server);
	await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
	return (server.address() as { port: number }).port;
}

async function typesFrom(port: number): Promise<Record<string, string | null>> {
	const types: Record<string, string | null> = {};
	for (const name of Object.keys(FILES)) types[name] = (await fetch(`http://127.0.0.1:${port}/${name}`)).headers.get("content-type");
	return types;
}

test("the agent's static site server and deploy ui's file server say the same type for each file", async () => {
	const agentPort = await listen(createStaticServer({ root: dir, spa: false }));
	const uiPort = await listen(
		createServer((request, response) => {
			void serveStatic(dir, new URL(request.url ?? "/", "http://x").pathname, response, {}).then((served) => served || response.writeHead(404).end());
		}),
	);
	assert.deepEqual(await typesFrom(agentPort), FILES);
	assert.deepEqual(await typesFrom(uiPort), FILES);
});
