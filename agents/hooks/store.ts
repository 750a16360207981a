// Issue 18: the webhooks of this server, `<home>/hooks/hooks.json` (0600 in a 0700 folder:
// it holds each hook's secret, which must stay readable to check a delivery's HMAC), and
// the deliveries answered, `<home>/hooks/deliveries.jsonl` (kept bounded: a sender without
// the secret can still make 401 lines).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { appendFile, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as z from "zod";
import { DeployError } from "../../core/protocol/errors.js";
import { forgeKind, type HookDelivery, type HookInfo, hookDelivery, hookId } from "../../core/protocol/hooks.js";
import { appName } from "../../core/protocol/names.js";
import { appSpec } from "../../core/protocol/spec.js";
import { writeJsonAtomic } from "../fs/atomic-write.js";

const storedHook = z.object({
	id: hookId,
	app: appName,
	forge: forgeKind,
	repo: z.string(),
	productionBranch: z.string(),
	previewTtlSeconds: z.number().int().positive(),
	spec: appSpec,
	secret: z.string(),
	createdAt: z.string(),
});
export type StoredHook = z.infer<typeof storedHook>;

/** Past this size the deliveries file keeps its newer half. */
const DELIVERIES_MAX_BYTES = 1024 * 1024;

export function hookPaths(homeRoot: string) {
	const root = join(homeRoot, "hooks");
	return { root, hooks: join(root, "hooks.json"), deliveries: join(root, "deliveries.jsonl"), cache: join(root, "cache") };
}

export async function readHooks(homeRoot: string): Promise<StoredHook[]> {
	const text = await readFile(hookPaths(homeRoot).hooks, "utf8").catch(() => null);
	return text === null ? [] : z.array(storedHook).parse(JSON.parse(text));
}

export async function writeHooks(homeRoot: string, hooks: StoredHook[]): Promise<void> {
	await mkdir(hookPaths(homeRoot).root, { recursive: true, mode: 0o700 });
	await writeJsonAtomic(hookPaths(homeRoot).hooks, hooks);
}

export async function findHook(homeRoot: string, id: string): Promise<StoredHook | null> {
	return (await readHooks(homeRoot)).find((h) => h.id === id) ?? null;
}

export async function requireHook(homeRoot: string, id: string): Promise<StoredHook> {
	const hook = await findHook(homeRoot, id);
	if (!hook) throw new DeployError("HOOK_UNKNOWN", `There is no hook ${id} on this server.`, "`deploy hooks ls` lists the hooks.");
	return hook;
}

export const newHookId = () => `hk_${randomBytes(8).toString("hex")}`;
/** 32 random bytes: what the forge signs with; answered once by `hooks add`. */
export const newHookSecret = () => randomBytes(32).toString("base64url");

export const publicHook = ({ id, app, forge, repo, productionBranch, createdAt }: StoredHook): HookInfo => ({ id, app, forge, repo, productionBranch, createdAt });

export async function readDeliveries(homeRoot: string): Promise<HookDelivery[]> {
	const text = await readFile(hookPaths(homeRoot).deliveries, "utf8").catch(() => "");
	const out: HookDelivery[] = [];
	for (const line of text.split("\n")) {
		if (!line) continue;
		try {
			const parsed = hookDelivery.safeParse(JSON.parse(line));
			if (parsed.success) out.push(parsed.data);
		} catch {
			// a line cut short by a crash: skipped
		}
	}
	return out;
}

/**
 * The newest line of one delivery (by time): a delivery whose deploy failed before it
 * started is recorded twice, "deploying" when answered and "failed: ..." after, and a
 * redelivery of it adds a third.
 */
export function latestDelivery(deliveries: readonly HookDelivery[], hook: string, delivery: string): HookDelivery | undefined {
	return deliveries.filter((d) => d.hook === hook && d.delivery === delivery).sort((a, b) => a.time.localeCompare(b.time)).at(-1);
}

export async function appendDelivery(homeRoot: string, delivery: HookDelivery): Promise<void> {
	const { root, deliveries } = hookPaths(homeRoot);
	await mkdir(root, { recursive: true, mode: 0o700 });
	await appendFile(deliveries, `${JSON.stringify(delivery)}\n`, { mode: 0o600 });
	const size = (await stat(deliveries)).size;
	if (size > DELIVERIES_MAX_BYTES) {
		const lines = (await readFile(deliveries, "utf8")).split("\n").filter(Boolean);
		await writeFile(deliveries, `${lines.slice(Math.floor(lines.length / 2)).join("\n")}\n`, { mode: 0o600 });
	}
}

/** The app of a hook, read synchronously for the access check (agents/access/app-of-call.ts); null when unknown. */
export function appOfHook(homeRoot: string, id: string): string | null {
	try {
		const hooks = JSON.parse(readFileSync(hookPaths(homeRoot).hooks, "utf8")) as { id: string; app: string }[];
		return hooks.find((h) => h.id === id)?.app ?? null;
	} catch {
		return null;
	}
}
