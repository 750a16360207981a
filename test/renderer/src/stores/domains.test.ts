// Issue 6: the Domains view's store through the renderer's own seam (a fake bridge);
// the same view runs against the real api in test/ui/domains.test.ts.
import assert from "node:assert/strict";
import { beforeEach, test } from "vitest";
import type { ProjectInfo } from "../../../../renderer/src/api/bridge.js";
import { ApiError } from "../../../../renderer/src/api/errors.js";
import { type DomainList, useDomains } from "../../../../renderer/src/stores/domains.js";
import { fakeBridge } from "../../../helpers/fake-bridge.js";

const project: ProjectInfo = { name: "shop", dir: "/srv/shop", server: "prod" };
const certificate = (host: string) => ({ host, issuer: null, notAfter: null, state: "none" as const });
const dns = { state: "missing" as const, addresses: [], cname: null, expected: "203.0.113.7", record: { type: "A" as const, name: "new.example.com", value: "203.0.113.7" }, message: "new.example.com does not resolve yet" };

beforeEach(() => useDomains.setState({ byDir: {} }));

test("adds a domain, keeps its DNS check for the form, and reloads the list", async () => {
	let domains: DomainList["domains"] = [];
	const { calls } = fakeBridge({
		"domains.list": () => ({ app: "shop", server: "prod", defaultHost: "shop.203.0.113.7.sslip.io", domains }),
		"domains.add": (input) => {
			const { domain } = input as { domain: string };
			domains = [{ domain, unicode: domain, source: "added", addedAt: "2026-11-27T07:00:00.000Z", dns, certificate: certificate(domain) }];
			return { app: "shop", server: "prod", domain, unicode: domain, source: "added", changed: true, dns };
		},
	});
	assert.equal(await useDomains.getState().add(project, "new.example.com"), true);
	assert.deepEqual(calls[0], { method: "domains.add", input: { dir: "/srv/shop", server: "prod", domain: "new.example.com" } });
	const entry = useDomains.getState().byDir["/srv/shop"];
	assert.equal(entry?.added?.dns?.state, "missing");
	assert.deepEqual(
		entry?.list?.domains.map((d) => d.domain),
		["new.example.com"],
	);
	assert.equal(entry?.busy, null);
});

test("a refused change keeps its error for the form and leaves the list as it was", async () => {
	fakeBridge({
		"domains.remove": () => {
			throw new ApiError({ code: "DOMAIN_IN_CONFIG", message: "www.example.com comes from shop's deploy.yaml", hint: "Remove it from domains: in deploy.yaml and run `deploy`." });
		},
	});
	assert.equal(await useDomains.getState().remove(project, "www.example.com"), false);
	const entry = useDomains.getState().byDir["/srv/shop"];
	assert.equal(entry?.changeError?.code, "DOMAIN_IN_CONFIG");
	assert.equal(entry?.list, null);
	assert.equal(entry?.busy, null);
});
