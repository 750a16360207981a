// The Overview's facts (renderer/src/stores/overview-facts.ts): pure functions of what
// the api returns, checked by exact equality.
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import type { DomainList } from "../../../../core/api/domains.js";
import type { DeploymentRecord, InstanceInfo } from "../../../../renderer/src/api/bridge.js";
import { appStatus, currentRelease, instanceCounts, lastFailure, liveUrls, recentErrors, shortReason } from "../../../../renderer/src/stores/overview-facts.js";

const record = (id: string, status: DeploymentRecord["status"], extra: Partial<DeploymentRecord> = {}): DeploymentRecord => ({
	id,
	app: "shop",
	status,
	commit: null,
	url: null,
	createdAt: `2026-12-03T10:00:0${id.length % 10}Z`,
	finishedAt: null,
	error: null,
	...extra,
});

const instance = (process: string, status: InstanceInfo["status"], port: number, message?: string): InstanceInfo => ({
	app: "shop",
	process,
	deploymentId: "d1",
	status,
	pid: 1,
	port,
	startedAt: "2026-12-03T11:00:00Z",
	uptimeSeconds: 1,
	restarts: 2,
	cpuPercent: null,
	memoryBytes: null,
	...(message ? { message } : {}),
});

const domains = (states: string[]): DomainList =>
	({
		app: "shop",
		server: "prod",
		defaultHost: "shop.203.0.113.7.sslip.io",
		domains: states.map((state, i) => ({ domain: `d${i}.example.com`, unicode: `d${i}.example.com`, source: "added", addedAt: null, dns: null, certificate: { host: `d${i}.example.com`, issuer: null, notAfter: null, state } })),
	}) as DomainList;

describe("overview facts", () => {
	const failed = record("d3", "failed", { error: { code: "BUILD_FAILED", message: "The build step failed.\nmore", hint: "Run it locally." }, finishedAt: "2026-12-03T12:00:00Z" });
	const live = record("d2", "live", { url: "https://d0.example.com:8443" });

	test("the app's status, current release and last failure", () => {
		assert.equal(appStatus([]), "not deployed");
		assert.equal(appStatus([failed]), "failed");
		assert.equal(appStatus([failed, live]), "live");
		assert.equal(currentRelease([failed, live]), live);
		assert.equal(lastFailure([failed, live]), failed);
		assert.equal(lastFailure([live, failed]), null);
	});

	test("a reason is its first line, cut to a length", () => {
		assert.equal(shortReason("\n  first line  \nsecond"), "first line");
		assert.equal(shortReason("x".repeat(10), 5), "xxxx…");
	});

	test("instances running per process, leaving draining ones out", () => {
		assert.deepEqual(instanceCounts([instance("web", "running", 1), instance("web", "crashed", 2), instance("web", "draining", 3), instance("worker", "running", 4)]), {
			running: 2,
			total: 3,
			processes: [
				{ process: "web", running: 1, total: 2 },
				{ process: "worker", running: 1, total: 1 },
			],
		});
	});

	test("live URLs: the generated one over HTTP, domains with a certificate over HTTPS at the live URL's port", () => {
		assert.deepEqual(liveUrls(null, domains(["valid"]), "http://shop.203.0.113.7.sslip.io:8080"), []);
		assert.deepEqual(liveUrls(live, domains(["valid", "failed"]), "http://shop.203.0.113.7.sslip.io:8080"), [
			{ url: "http://shop.203.0.113.7.sslip.io:8080", kind: "generated", state: "live" },
			{ url: "https://d0.example.com:8443", kind: "domain", state: "valid" },
			{ url: "https://d1.example.com:8443", kind: "domain", state: "failed" },
		]);
		const plain = record("d2", "live", { url: "http://d0.example.com:8080" });
		assert.deepEqual(liveUrls(plain, domains(["none"]), "http://shop.203.0.113.7.sslip.io:8080"), [
			{ url: "http://shop.203.0.113.7.sslip.io:8080", kind: "generated", state: "live" },
			{ url: "http://d0.example.com:8080", kind: "domain", state: "none" },
		]);
		// Before deploy.yaml is read: the live URL once.
		assert.deepEqual(liveUrls(plain, domains(["none"]), null), [{ url: "http://d0.example.com:8080", kind: "generated", state: "live" }]);
	});

	test("recent errors: failed deployments, crashing instances, firing alerts newest first, then certificates not obtained", () => {
		const alert = { at: "2026-12-03T13:00:00Z", app: "shop", kind: "error-rate", state: "firing", message: "5xx above 5%", value: 0.1, threshold: 0.05, delivery: { status: "none", attempts: 0 } } as const;
		const certificates = domains(["failed", "valid"]);
		certificates.domains[0]!.certificate.message = "HTTP 500 the CA refused";
		assert.deepEqual(recentErrors([failed, live], [instance("web", "crashed", 4100, "exited with code 1"), instance("web", "running", 4101)], [alert], certificates), [
			{ at: "2026-12-03T13:00:00Z", source: "alert error-rate", code: "firing", message: "5xx above 5%" },
			{ at: "2026-12-03T12:00:00Z", source: "deployment d3", code: "BUILD_FAILED", message: "The build step failed.\nmore", hint: "Run it locally." },
			{ at: "2026-12-03T11:00:00Z", source: "instance web:4100", code: "crashed", message: "exited with code 1" },
			{ at: "", source: "certificate d0.example.com", code: "failed", message: "HTTP 500 the CA refused" },
		]);
	});
});

test("issue 14: a live preview in the app's history is neither its release, its status nor its failure", () => {
	const production: DeploymentRecord = { id: "d1", app: "shop", status: "live", commit: null, url: "http://shop.example.test", createdAt: "2026-12-01T10:00:00Z", finishedAt: null, error: null };
	const preview: DeploymentRecord = {
		...production,
		id: "d2",
		app: "main-shop",
		url: "http://main-shop.127.0.0.1.sslip.io",
		createdAt: "2026-12-02T10:00:00Z",
		preview: { of: "shop", branch: "main", expiresAt: "2026-12-09T10:00:00Z" },
	};
	const failedPreview: DeploymentRecord = { ...preview, id: "d3", status: "failed", error: { code: "BUILD_FAILED", message: "no" } };
	assert.equal(currentRelease([failedPreview, preview, production])?.id, "d1");
	assert.equal(appStatus([failedPreview, preview, production]), "live");
	assert.equal(lastFailure([failedPreview, preview, production]), null);
	assert.equal(appStatus([preview]), "not deployed");
});
