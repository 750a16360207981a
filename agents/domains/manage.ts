import type { AppDomain, CertificateInfoWire, DomainSource } from "../../core/protocol/domains.js";
import { DeployError } from "../../core/protocol/index.js";
import type { HasHome, HasLog, HasProxy, HasSetup, HasSupervisor } from "../context/parts.js";
import { readReleaseSpec, type ReleaseSpec } from "../deploy/release-spec.js";
import { routeFor, siteRoot } from "../deploy/switch.js";
import { appHosts } from "./hosts.js";
import { type AddedDomain, readAddedDomains, writeAddedDomains } from "./store.js";

/** What managing an app's domains touches: its live release, the route, and the log. */
type DomainsContext = HasHome & HasSupervisor & HasProxy & HasSetup & HasLog;

interface LiveRelease {
	id: string;
	release: ReleaseSpec;
}

/** The app's live release and its spec; NOT_DEPLOYED without one (domains belong to a deployed app). */
async function liveRelease(agent: DomainsContext, app: string): Promise<LiveRelease> {
	const id = agent.supervisor.live(app);
	const release = id ? await readReleaseSpec(agent.home, app, id) : null;
	if (!id || !release) throw new DeployError("NOT_DEPLOYED", `${app} is not deployed on this server.`, "Deploy it first (`deploy`), or list the domain under domains: in deploy.yaml.");
	return { id, release };
}

/**
 * Routes the live release again with the hosts appHosts gives now: the same instances
 * and static folder, so nothing restarts and no deployment is made. A route with no
 * instance serving (all crashed) is left to the supervisor and the reconcile.
 */
async function rerouteLive(agent: DomainsContext, app: string, live: LiveRelease): Promise<void> {
	const web = agent.supervisor.liveInstances(app).filter((i) => i.record.web && i.record.status !== "crashed");
	const site = siteRoot(agent, app, live.id, live.release.static);
	if (web.length === 0 && !site) return;
	await agent.proxyReady;
	await agent.requireDriver().applyRoute(await routeFor(agent, live.release.spec, web, site));
}

/** Refuses a host another app on this server answers on, before anything is written (the driver checks again, atomically). */
async function assertHostFree(agent: DomainsContext, app: string, host: string): Promise<void> {
	for (const other of agent.supervisor.appNames()) {
		if (other === app) continue;
		const id = agent.supervisor.live(other);
		const release = id ? await readReleaseSpec(agent.home, other, id).catch(() => null) : null;
		const hosts = await appHosts(agent, release?.spec ?? { name: other, domains: [] });
		if (hosts.includes(host)) {
			throw new DeployError("HOST_IN_USE", `The host ${host} already routes to the app ${other}.`, `Remove it from ${other}'s domains first (\`deploy domains rm ${host} --app ${other}\`), or pick another host for ${app}.`);
		}
	}
}

/** Writes the added domains, re-routes, and puts the old list back when the proxy refuses: nothing changed. */
async function changeAdded(agent: DomainsContext, app: string, live: LiveRelease, before: AddedDomain[], after: AddedDomain[]): Promise<void> {
	await writeAddedDomains(agent.home, app, after);
	try {
		await rerouteLive(agent, app, live);
	} catch (error) {
		await writeAddedDomains(agent.home, app, before);
		throw error;
	}
}

export async function addDomain(agent: DomainsContext, app: string, domain: string): Promise<{ source: DomainSource; changed: boolean }> {
	const live = await liveRelease(agent, app);
	if (live.release.spec.domains.includes(domain)) return { source: "config", changed: false };
	const added = await readAddedDomains(agent.home, app);
	if (added.some((d) => d.name === domain)) return { source: "added", changed: false };
	if (domain === agent.requireDriver().defaultHost(app)) {
		throw new DeployError("BAD_ARGUMENT", `${domain} is ${app}'s generated host already.`, "Add a domain of your own, like app.example.com.");
	}
	await assertHostFree(agent, app, domain);
	await changeAdded(agent, app, live, added, [...added, { name: domain, addedAt: new Date().toISOString() }]);
	agent.log(`domains: ${app} + ${domain}`);
	return { source: "added", changed: true };
}

export async function removeDomain(agent: DomainsContext, app: string, domain: string): Promise<void> {
	const live = await liveRelease(agent, app);
	const added = await readAddedDomains(agent.home, app);
	if (!added.some((d) => d.name === domain)) {
		if (live.release.spec.domains.includes(domain)) {
			throw new DeployError(
				"DOMAIN_IN_CONFIG",
				`${domain} comes from ${app}'s deploy.yaml, so the next deploy would bring it back.`,
				"Remove it from domains: in deploy.yaml and run `deploy`.",
			);
		}
		throw new DeployError("DOMAIN_UNKNOWN", `${app} has no domain ${domain}.`, "See its domains with `deploy domains ls`.");
	}
	await changeAdded(
		agent,
		app,
		live,
		added,
		added.filter((d) => d.name !== domain),
	);
	agent.log(`domains: ${app} - ${domain}`);
}

export async function listDomains(agent: DomainsContext, app: string): Promise<{ defaultHost: string; domains: AppDomain[] }> {
	const live = await liveRelease(agent, app);
	const added = await readAddedDomains(agent.home, app);
	const entries: { name: string; source: DomainSource; addedAt: string | null }[] = [...live.release.spec.domains.map((name) => ({ name, source: "config" as const, addedAt: null }))];
	for (const d of added) if (!entries.some((e) => e.name === d.name)) entries.push({ name: d.name, source: "added", addedAt: d.addedAt });
	// After a restart the proxy starts and the routes are reconciled first: the certificates are read from that proxy.
	await agent.proxyReady.catch(() => undefined);
	const certificates = await readCertificates(agent, entries.map((e) => e.name));
	return {
		defaultHost: agent.requireDriver().defaultHost(app),
		domains: entries.map((entry) => ({ ...entry, certificate: certificates.get(entry.name) ?? noCertificate(entry.name) })),
	};
}

/** The proxy's view of the certificates; a proxy that cannot tell leaves the list readable, with the reason. */
async function readCertificates(agent: DomainsContext, hosts: string[]): Promise<Map<string, CertificateInfoWire>> {
	if (hosts.length === 0) return new Map();
	try {
		const certificates = await agent.requireDriver().certificates(hosts);
		return new Map(certificates.map((c) => [c.host, c]));
	} catch (error) {
		const message = `the proxy could not tell: ${(error as Error).message}`;
		return new Map(hosts.map((host) => [host, { ...noCertificate(host), message }]));
	}
}

function noCertificate(host: string): CertificateInfoWire {
	return { host, issuer: null, notAfter: null, state: "none" };
}
