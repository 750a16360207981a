import type { ApiKeyInfo, ApiStatus, KeyScope } from "../../core/api/keys.js";
import type { DashboardShipment } from "../../core/dashboard/ship.js";
import { parseDuration } from "../../core/protocol/duration.js";
import { formatSize } from "../../core/protocol/size.js";
import { DeployError } from "../../core/protocol/errors.js";
import { table } from "../output/human.js";
import { runCommand } from "../output/run.js";

interface ServerOptions {
	json?: boolean;
	server?: string;
}

const on = (options: ServerOptions) => (options.server ? { server: options.server } : {});

export async function keysCreateCommand(name: string, options: ServerOptions & { team: string; scope: KeyScope; apps?: string[]; expires?: string }): Promise<void> {
	await runCommand(options, async (context) => {
		const expiresInSeconds = options.expires === undefined ? undefined : expirySeconds(options.expires);
		const made = await context.api.keys.create(
			{ ...on(options), name, team: options.team, scope: options.scope, apps: options.apps ?? null, ...(expiresInSeconds ? { expiresInSeconds } : {}) },
			{ signal: context.signal },
		);
		context.print(made, () =>
			[
				made.key,
				"",
				`Key ${made.name}: scope ${made.scope} in team ${made.team}${made.apps ? `, apps ${made.apps.join(", ")}` : ""}, ${made.expiresAt ? `expires ${made.expiresAt}` : "never expires"}.`,
				"This is the only time it is shown: store it as a secret (e.g. DEPLOY_TOKEN in CI). Send it as `Authorization: Bearer <key>`.",
			].join("\n"),
		);
	});
}

export async function keysLsCommand(options: ServerOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const keys = await context.api.keys.list(on(options), { signal: context.signal });
		context.print(keys, () => keysText(keys));
	});
}

export async function keysRevokeCommand(name: string, options: ServerOptions & { team?: string }): Promise<void> {
	await runCommand(options, async (context) => {
		const revoked = await context.api.keys.revoke({ ...on(options), name, ...(options.team ? { team: options.team } : {}) }, { signal: context.signal });
		context.print(revoked, () => `Key ${revoked.name} (team ${revoked.team}) revoked: its next request is refused.`);
	});
}

export async function apiEnableCommand(server: string, options: { json?: boolean; domain: string }): Promise<void> {
	await runCommand(options, async (context) => {
		const status = await context.api.serverApi.enable({ server, domain: options.domain }, { signal: context.signal });
		context.print(status, () => `${statusText(server, status)}${shippedText(status.dashboardUpload)}\nMake a key for it with \`deploy keys create ci --team <team> --scope deploy\`.`);
	});
}

export async function apiDisableCommand(server: string, options: { json?: boolean }): Promise<void> {
	await runCommand(options, async (context) => {
		const status = await context.api.serverApi.disable({ server }, { signal: context.signal });
		context.print(status, () => statusText(server, status));
	});
}

export async function apiStatusCommand(server: string, options: { json?: boolean }): Promise<void> {
	await runCommand(options, async (context) => {
		const status = await context.api.serverApi.status({ server }, { signal: context.signal });
		context.print(status, () => statusText(server, status));
	});
}

/** `--expires 90d`: whole seconds, read as every duration of the CLI is. */
function expirySeconds(text: string): number {
	const ms = /^\d+\s*[smhdw]$/.test(text.trim()) ? parseDuration(text) : null;
	if (!ms || ms < 1000) throw new DeployError("BAD_ARGUMENT", `--expires ${text} is not a duration.`, "Write it as a number and a unit, like --expires 90d, 12h or 30m.");
	return Math.round(ms / 1000);
}

function statusText(server: string, status: ApiStatus): string {
	if (!status.enabled) return `${server}'s API is off.`;
	const api = `${server}'s API answers at ${status.url}/api/v1 (OpenAPI: ${status.url}/api/v1/openapi.json).`;
	// Issue 17, item 4: what teammates open in a browser (they sign in with the link `deploy team add --email` gives them).
	return status.dashboard ? `${api}\nThe dashboard: ${status.dashboard} (teammates sign in there).` : `${api}\nNo dashboard on the server: run \`deploy servers api enable\` again from an install with the desktop's build.`;
}

/** Issue 17, item 4: what the dashboard's build cost to send (nothing when the server had it). */
function shippedText(shipped: DashboardShipment | undefined): string {
	if (!shipped) return "";
	if (shipped.objectsSent === 0) return `\nThe dashboard's build was on the server already (${formatSize(shipped.bytesSent)} sent to check).`;
	return `\nThe dashboard's build: ${shipped.objectsSent} of ${shipped.files} files sent (${formatSize(shipped.bytesSent)}).`;
}

function keysText(keys: ApiKeyInfo[]): string {
	if (keys.length === 0) return "No API keys. Make one with `deploy keys create ci --team <team> --scope deploy`.";
	const state = (k: ApiKeyInfo) => (k.revokedAt ? "revoked" : k.expiresAt && Date.parse(k.expiresAt) <= Date.now() ? "expired" : "active");
	const rows = keys.map((k) => [k.name, k.team, k.scope, k.apps?.join(",") ?? "all", k.createdAt.slice(0, 16), k.expiresAt?.slice(0, 16) ?? "never", k.lastUsedAt?.slice(0, 16) ?? "never", state(k)]);
	return table(rows, ["NAME", "TEAM", "SCOPE", "APPS", "CREATED", "EXPIRES", "LAST USED", "STATE"]);
}
