// Issue 18: how a delivery's deployment ended. A webhook's deploy is detached: the forge
// has its 202 long before the build ends, so the delivery's line says "deploying", and the
// deployment's own record (written by the deploy as it goes) is what says live, failed or
// cancelled. Read when the deliveries are listed: one truth, nothing to keep in step.
import { readFile } from "node:fs/promises";
import { deploymentRecord } from "../../core/protocol/deployment.js";
import type { DeliveryOutcome, HookDelivery } from "../../core/protocol/hooks.js";
import { previewAppName } from "../../core/protocol/preview-name.js";
import { type AgentHome, appPaths } from "../home.js";

/** The delivery with its deployment's outcome; as it was when it started none or the record is gone. */
export async function withOutcome(home: AgentHome, delivery: HookDelivery): Promise<HookDelivery> {
	const id = delivery.deployment;
	if (!id) return delivery;
	// The production app's record, else the branch's preview's (a delivery names the hook's app).
	const apps = [delivery.app, ...(delivery.branch ? [previewAppName(delivery.branch, delivery.app)] : [])];
	for (const app of apps) {
		const text = await readFile(appPaths(home, app).record(id), "utf8").catch(() => null);
		const record = text === null ? null : deploymentRecord.safeParse(safeJson(text)).data;
		if (record) return { ...delivery, outcome: outcomeOf(record.status, record.error) };
	}
	return delivery;
}

export function outcomeOf(status: DeliveryOutcome["status"], error: { code: string; message: string } | null): DeliveryOutcome {
	if (status === "failed" && error?.code === "CANCELLED") return { status: "cancelled", error: { code: error.code, message: error.message } };
	return { status, ...(error && status === "failed" ? { error: { code: error.code, message: error.message } } : {}) };
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return null;
	}
}
