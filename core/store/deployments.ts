import type { Kysely, Selectable } from "kysely";
import type { DeploymentRecord } from "../protocol/deployment.js";
import type { DeploymentStatus } from "../protocol/spec.js";
import type { DeploymentsTable, StoreTables } from "./tables.js";

/** A deployment as the client remembers it: the agent's record, where it went, what travelled. */
export interface Deployment extends DeploymentRecord {
	server: string;
	bytesUploaded: number;
	objectsUploaded: number;
}

/** Upload counts are known only to the client that deployed; a record from the agent leaves them out. */
export type DeploymentInput = DeploymentRecord & { server: string; bytesUploaded?: number; objectsUploaded?: number };

export interface DeploymentQuery {
	app?: string;
	server?: string;
	/** Newest first, this many at most (default 50). */
	limit?: number;
}

export interface DeploymentsRepository {
	/** Inserts or updates by id: the same deployment is recorded when it starts and when it ends. */
	record(deployment: DeploymentInput): Promise<void>;
	list(query?: DeploymentQuery): Promise<Deployment[]>;
}

export function deploymentsRepository(db: Kysely<StoreTables>): DeploymentsRepository {
	return {
		async record(deployment) {
			const changes = {
				app: deployment.app,
				server: deployment.server,
				status: deployment.status,
				commit: deployment.commit,
				url: deployment.url,
				created_at: deployment.createdAt,
				finished_at: deployment.finishedAt,
				error: deployment.error ? JSON.stringify(deployment.error) : null,
				...(deployment.bytesUploaded !== undefined ? { bytes_uploaded: deployment.bytesUploaded } : {}),
				...(deployment.objectsUploaded !== undefined ? { objects_uploaded: deployment.objectsUploaded } : {}),
			};
			await db
				.insertInto("deployments")
				.values({ id: deployment.id, ...changes })
				.onConflict((conflict) => conflict.column("id").doUpdateSet(changes))
				.execute();
		},
		async list(query = {}) {
			let select = db.selectFrom("deployments").selectAll();
			if (query.app) select = select.where("app", "=", query.app);
			if (query.server) select = select.where("server", "=", query.server);
			const rows = await select
				.orderBy("created_at", "desc")
				.orderBy("id", "desc")
				.limit(query.limit ?? 50)
				.execute();
			return rows.map(toDeployment);
		},
	};
}

function toDeployment(row: Selectable<DeploymentsTable>): Deployment {
	return {
		id: row.id,
		app: row.app,
		server: row.server,
		status: row.status as DeploymentStatus,
		commit: row.commit,
		url: row.url,
		createdAt: row.created_at,
		finishedAt: row.finished_at,
		error: row.error === null ? null : parseError(row.error),
		bytesUploaded: row.bytes_uploaded,
		objectsUploaded: row.objects_uploaded,
	};
}

/**
 * A row the user edited by hand should not break `deploy list`. Checked by hand, not
 * with the zod schema: the store loads on the CLI's early path, before zod does.
 */
function parseError(text: string): Deployment["error"] {
	try {
		const value: unknown = JSON.parse(text);
		if (isErrorInfo(value)) return value;
	} catch {}
	return { code: "UNKNOWN", message: text };
}

function isErrorInfo(value: unknown): value is NonNullable<Deployment["error"]> {
	if (typeof value !== "object" || value === null) return false;
	const { code, message, hint, details } = value as Record<string, unknown>;
	return (
		typeof code === "string" &&
		typeof message === "string" &&
		(hint === undefined || typeof hint === "string") &&
		(details === undefined || (Array.isArray(details) && details.every((line) => typeof line === "string")))
	);
}
