// Issue 13, items 8 and 9: what the proxy serves stays inside the release. A real
// daemon and a real Caddy serving a static site's files; the attacks of the review
// sent straight over RPC, as a hostile or modified client would: a static.dir that
// climbs out of the release, and a chain of symlinks (links through links and `..`)
// whose every link looks inside on its own but which leads out once followed.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { describeDetection } from "../../../agents/detect/plan.js";
import { readReleaseFacts } from "../../../agents/detect/release-facts.js";
import { createProxyDriver } from "../../../agents/proxy/index.js";
import { createStaticServer } from "../../../agents/static/server.js";
import { appSpec, DeployError, type ManifestEntry, type ParamsOf } from "../../../core/protocol/index.js";
import { httpGet } from "../../helpers/net.js";
import { type Bridge, connectBridge, freePort, gitBlobId, installAgent, type Snapshot, stopAgent, upload } from "../../helpers/agent-harness.js";

type Spec = NonNullable<ParamsOf<"deploy">["app"]>;

/** What the agent keeps outside every release: a file the proxy must never hand out. */
const OUTSIDE = "outside-the-release";

/** A source tree of files and symlinks (path -> link target), as the client snapshots one. */
function tree(files: Record<string, string>, links: Record<string, string> = {}): Snapshot {
	const manifest: ManifestEntry[] = [];
	const contents = new Map<string, Buffer>();
	const add = (path: string, mode: ManifestEntry["mode"], text: string) => {
		const content = Buffer.from(text);
		const id = gitBlobId(content);
		manifest.push({ path, mode, id });
		contents.set(id, content);
	};
	for (const [path, text] of Object.entries(files)) add(path, "100644", text);
	for (const [path, target] of Object.entries(links)) add(path, "120000", target);
	return { manifest, contents };
}

/** Links that each stay inside when read on their own, yet lead 4 levels above the release (the agent's home) when followed. */
const CLIMB = { b: ".", p1: "b/..", p2: "p1/..", p3: "p2/..", p4: "p3/.." };

const get = (port: number, path: string, host = "site.127.0.0.1.sslip.io") => httpGet(port, host, path);

describe("paths of a release (issue 13)", () => {
	let work: string;
	let home: string;
	let agentPath: string;
	let caddyPort: number;
	let bridge: Bridge;
	const bridges: Bridge[] = [];
	const open = () => {
		const b = connectBridge(agentPath, home, { DEPLOY_AGENT_SETTLE_MS: "100" });
		bridges.push(b);
		return b;
	};
	const spec = (dir: string, extra: Partial<Spec> = {}): Spec => ({ name: "site", static: { dir, spa: false }, ...extra });
	const deploy = async (snap: Snapshot, app: Spec) => {
		await upload(bridge.rpc, snap);
		return bridge.rpc.call("deploy", { app, manifest: snap.manifest, commit: null });
	};
	const rejection = async (promise: Promise<unknown>, code: string) => {
		const error = await promise.then(() => assert.fail(`expected ${code}`), (e: unknown) => e);
		assert.ok(error instanceof DeployError, String(error));
		assert.equal(error.code, code, error.message);
		return error;
	};
	/** The live release still answers, and nothing of the agent's home is reachable. */
	const stillServesV1 = async (leaks: string[]) => {
		assert.equal((await get(caddyPort, "/")).body, "v1\n");
		for (const path of leaks) {
			const answer = await get(caddyPort, path);
			assert.equal(answer.status, 404, `${path} answered ${answer.status}: ${answer.body}`);
		}
	};
	const liveId = async () => (await bridge.rpc.call("deployments.list", { app: "site" })).find((d) => d.status === "live")?.id;

	beforeAll(async () => {
		work = await mkdtemp(join(tmpdir(), "deploy-release-paths-"));
		home = join(work, "home");
		agentPath = installAgent(home);
		await writeFile(join(home, "outside.txt"), `${OUTSIDE}\n`);
		caddyPort = await freePort();
		bridge = open();
		await bridge.rpc.call("setup", { proxy: "caddy", httpPort: caddyPort, httpsPort: await freePort(), address: "127.0.0.1" });
		const first = await deploy(tree({ "site/index.html": "v1\n" }), spec("site"));
		assert.equal(first.status, "live");
		await stillServesV1([]);
	});

	afterAll(async () => {
		await stopAgent(home, open(), bridges);
		const setup = { proxy: "caddy" as const, httpPort: caddyPort, httpsPort: 443, address: "127.0.0.1" };
		await createProxyDriver("caddy", { setup, dir: join(home, "proxy"), log: () => {} }).stop();
		await rm(work, { recursive: true, force: true });
	});

	test("static.dir climbing out of the release, sent straight over RPC: refused by the agent, the old release serves", async () => {
		const live = await liveId();
		const error = await rejection(deploy(tree({ "site/index.html": "v2\n" }), spec("../../../..")), "INVALID_PARAMS");
		assert.match(error.message, /app\/static\/dir: must be a folder inside the project/);
		await stillServesV1(["/outside.txt", "/secrets.key"]);
		assert.equal(await liveId(), live);
	});

	test("a chain of links leaving the release, with static.dir pointing through it: refused, the old release serves", async () => {
		const live = await liveId();
		const error = await rejection(deploy(tree({ "site/index.html": "v2\n" }, CLIMB), spec("p4")), "MANIFEST_INVALID");
		assert.match(error.message, /The symlink p1 leads outside the project/);
		await stillServesV1(["/outside.txt"]);
		assert.equal(await liveId(), live);
	});

	test("a link inside the served folder that climbs out through other links: refused, the old release serves", async () => {
		const error = await rejection(deploy(tree({ "site/index.html": "v2\n" }, { ...CLIMB, "site/up": "../p4" }), spec("site")), "MANIFEST_INVALID");
		assert.match(error.message, /The symlink (p1|site\/up) leads outside the project/);
		await stillServesV1(["/up/outside.txt"]);
	});

	test("a package.json reached through a chain of links out of the release: refused before it is read, nothing of it in the error", async () => {
		const error = await rejection(deploy(tree({ "site/index.html": "v2\n" }, { ...CLIMB, "package.json": "p4/outside.txt" }), spec("site")), "MANIFEST_INVALID");
		assert.ok(!error.message.includes("outside-th"), error.message);
		await stillServesV1([]);
	});

	test("a build cache entry with a link that leads out (as an agent before this check could leave one): refused on restore", async () => {
		// All inside as uploaded: b leads 4 folders down, so p1..p4 climb back up to the release itself.
		const chained = tree({ "site/index.html": "cached\n", "d/e/f/g/keep.txt": "" }, { b: "d/e/f/g", p1: "b/..", p2: "p1/..", p3: "p2/..", p4: "p3/..", "site/up": "../p4" });
		const cached = spec("site", { name: "cached", build: "true" });
		const host = "cached.127.0.0.1.sslip.io";
		assert.equal((await deploy(chained, cached)).status, "live");
		assert.equal((await get(caddyPort, "/", host)).body, "cached\n");
		// The cached tree as an older agent might have kept it: b a link to the release itself, so p1 goes up.
		const entries = join(home, "cache", "cached", "build");
		const [entry] = readdirSync(entries).filter((name) => !name.endsWith(".tmp"));
		await rm(join(entries, entry!, "tree", "b"));
		await symlink(".", join(entries, entry!, "tree", "b"));
		assert.equal((await deploy(tree({ "site/index.html": "other\n" }), { ...cached, build: "true # other" })).status, "live");
		const error = await rejection(deploy(chained, cached), "MANIFEST_INVALID");
		assert.match(error.message, /The symlink p1 leads outside the project/);
		const answer = await get(caddyPort, "/up/outside.txt", host);
		assert.equal(answer.status, 404, answer.body);
		assert.equal((await get(caddyPort, "/", host)).body, "other\n");
	});

	test("a static folder the build points outside the release: refused with STATIC_DIR_OUTSIDE, the old release serves", async () => {
		// The build is the app's own code and could copy anything: what is refused is serving a folder that is not the release's.
		const error = await rejection(deploy(tree({ "index.html": "v2\n" }), spec("out", { build: "ln -s ../../../.. out" })), "STATIC_DIR_OUTSIDE");
		assert.match(error.message, /The static site folder out resolves outside the release/);
		await stillServesV1(["/outside.txt"]);
	});

	test("a link the build leaves in the static folder pointing out of the release: refused, the old release serves", async () => {
		const error = await rejection(deploy(tree({ "site/index.html": "v2\n" }), spec("site", { build: "ln -s ../../../../.. site/up" })), "STATIC_DIR_OUTSIDE");
		assert.match(error.message, /site\/up/);
		await stillServesV1(["/up/outside.txt"]);
	});

	test("links through links and .. that stay inside the release still deploy and serve", async () => {
		const inside = { b: ".", docs: "b/content", www: "docs/../content/../docs", "content/alias.html": "./index.html", "content/up": "../b/content/.." };
		const record = await deploy(tree({ "content/index.html": "v3\n" }, inside), spec("www"));
		assert.equal(record.status, "live");
		assert.equal((await get(caddyPort, "/")).body, "v3\n");
		assert.equal((await get(caddyPort, "/alias.html")).body, "v3\n");
		assert.equal((await get(caddyPort, "/up/content/index.html")).body, "v3\n");
	});
});

describe("files the agent serves or reads stay in the release (issue 13)", () => {
	let work: string;
	beforeAll(async () => {
		work = await mkdtemp(join(tmpdir(), "deploy-release-files-"));
		await mkdir(join(work, "release", "site"), { recursive: true });
		await mkdir(join(work, "release", "assets"));
		await writeFile(join(work, "outside.txt"), `${OUTSIDE}\n`);
		await writeFile(join(work, "release", "site", "index.html"), "home\n");
		await writeFile(join(work, "release", "assets", "logo.svg"), "<svg/>\n");
		await symlink("../assets", join(work, "release", "site", "assets"));
		await symlink("../..", join(work, "release", "site", "up"));
	});
	afterAll(() => rm(work, { recursive: true, force: true }));

	test("the agent's own static server (Traefik, previews) answers 404 for a link out of the release, and serves links inside it", async () => {
		const server = createStaticServer({ root: join(work, "release", "site"), spa: false, within: join(work, "release") });
		await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
		try {
			const port = (server.address() as { port: number }).port;
			assert.equal((await get(port, "/index.html", "localhost")).body, "home\n");
			assert.equal((await get(port, "/assets/logo.svg", "localhost")).body, "<svg/>\n");
			const leak = await get(port, "/up/outside.txt", "localhost");
			assert.equal(leak.status, 404, leak.body);
		} finally {
			server.close();
		}
	});

	test("package.json's main naming a file outside the release is neither read nor run", async () => {
		await writeFile(join(work, "release", "package.json"), JSON.stringify({ name: "x", main: "../outside.txt" }));
		const facts = await readReleaseFacts(join(work, "release"));
		assert.ok(!facts.files.includes("../outside.txt"), facts.files.join(", "));
		assert.ok(!Object.values(facts.contents ?? {}).some((text) => text.includes(OUTSIDE)));
		assert.deepEqual(describeDetection(appSpec.parse({ name: "x" }), facts).processes, {});
	});
});
