import packet from "dns-packet";
import { loopbackTargets, upstreamZone } from "./names.js";
import type { UpstreamTable } from "./table.js";

/** Go's resolver reads at most this much over UDP (it advertises it with EDNS0). */
export const maxUdpReply = 1232;

const SERVFAIL = 2;

/**
 * The reply to one DNS query, from the table: SRV for `<app>.upstreams.deploy.internal.`
 * (one record per instance, TTL 0: Caddy's refresh decides how long it is kept), A or
 * AAAA for the loopback targets those records name. Anything else, and an app with no
 * instance, gets SERVFAIL: Caddy then uses the route's static upstreams rather than
 * routing to nothing. Null for what is not a query at all.
 */
export function answerQuery(table: UpstreamTable, message: Buffer): Buffer | null {
	let query: packet.Packet;
	try {
		query = packet.decode(message);
	} catch {
		return null;
	}
	const question = query.questions?.[0];
	if (query.type !== "query" || !question) return null;
	const name = question.name.toLowerCase();
	const answers: packet.Answer[] = [];
	const app = name.endsWith(`.${upstreamZone}`) ? name.slice(0, -upstreamZone.length - 1) : undefined;
	const upstreams = app === undefined ? undefined : Object.hasOwn(table, app) ? table[app] : undefined;
	if (upstreams && question.type === "SRV") {
		for (const upstream of upstreams) {
			const target = loopbackTargets[upstream.host === "::1" ? "::1" : "127.0.0.1"];
			answers.push({ type: "SRV", name: question.name, ttl: 0, data: { priority: 10, weight: 10, port: upstream.port, target } });
		}
	}
	const loopback = (Object.entries(loopbackTargets) as [keyof typeof loopbackTargets, string][]).find(([, target]) => target === name);
	if (loopback && question.type === (loopback[0] === "::1" ? "AAAA" : "A")) answers.push({ type: question.type, name: question.name, ttl: 0, data: loopback[0] });
	const known = (upstreams !== undefined && upstreams.length > 0) || loopback !== undefined;
	return packet.encode({ type: "response", id: query.id ?? 0, flags: packet.AUTHORITATIVE_ANSWER | (known ? 0 : SERVFAIL), questions: [question], answers });
}

/** The reply that sends Go to TCP for an answer too long for a datagram: the question, no answers, the TC flag. */
export function truncatedReply(message: Buffer): Buffer | null {
	try {
		const query = packet.decode(message);
		return packet.encode({ type: "response", id: query.id ?? 0, flags: packet.TRUNCATED_RESPONSE, questions: query.questions ?? [] });
	} catch {
		return null;
	}
}
