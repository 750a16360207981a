import assert from "node:assert/strict";
import { test } from "vitest";
import { contentTypeOf } from "../../../core/protocol/content-type.js";

// The one MIME table of both static servers (issue 15, item 4): what each used to say for the files a build writes.
test("a build's files get the type a browser needs, text as UTF-8", () => {
	const cases: [string, string][] = [
		["/srv/site/index.html", "text/html; charset=utf-8"],
		["/srv/site/assets/app-1a2b.JS", "text/javascript; charset=utf-8"],
		["/srv/site/app.mjs", "text/javascript; charset=utf-8"],
		["/srv/site/style.css", "text/css; charset=utf-8"],
		["/srv/site/data.json", "application/json; charset=utf-8"],
		["/srv/site/app.js.map", "application/json; charset=utf-8"],
		["/srv/site/site.webmanifest", "application/manifest+json; charset=utf-8"],
		["/srv/site/logo.svg", "image/svg+xml"],
		["/srv/site/photo.jpeg", "image/jpeg"],
		["/srv/site/photo.avif", "image/avif"],
		["/srv/site/favicon.ico", "image/x-icon"],
		["/srv/site/font.woff2", "font/woff2"],
		["/srv/site/module.wasm", "application/wasm"],
		["/srv/site/robots.txt", "text/plain; charset=utf-8"],
	];
	for (const [path, type] of cases) assert.equal(contentTypeOf(path), type, path);
});

test("a file of no known type is sent as bytes, whatever its folder is called", () => {
	assert.equal(contentTypeOf("/srv/site/LICENSE"), "application/octet-stream");
	assert.equal(contentTypeOf("/srv/site.v1/README"), "application/octet-stream");
	assert.equal(contentTypeOf("/srv/site/archive.unknownext"), "application/octet-stream");
});
