import { Notification } from "electron";
import type { ApiEnvelope, ApiMethod } from "../core/api/contract.js";

/** The calls whose end a person wants to hear about even with the window hidden. */
const WATCHED = new Set<ApiMethod>(["deployments.create", "deployments.rollback", "preview.create"]);

/** A one-line status of the last deploy, for the menu; null when the call is not a deploy. */
export function describeEnd(method: ApiMethod, answer: ApiEnvelope): { title: string; body: string } | null {
	if (!WATCHED.has(method)) return null;
	const verb = method === "deployments.rollback" ? "Rollback" : "Deploy";
	if ("error" in answer) return { title: `${verb} failed`, body: answer.error.message };
	const record = answer.result as { app?: string; url?: string | null; server?: string };
	return { title: `${record.app ?? "The app"} is live`, body: record.url ?? `${verb} finished${record.server ? ` on ${record.server}` : ""}.` };
}

export function notifyEnd(method: ApiMethod, answer: ApiEnvelope): string | null {
	const end = describeEnd(method, answer);
	if (!end) return null;
	if (Notification.isSupported()) new Notification({ title: end.title, body: end.body, silent: false }).show();
	return `${end.title}: ${end.body}`;
}
