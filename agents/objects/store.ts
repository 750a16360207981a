import { access, copyFile, constants as fsConstants, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";

/**
 * The content-addressed store, objects/<2 hex>/<38 hex>, shared by every app and
 * deployment so a file travels once per server.
 */
export class ObjectStore {
	constructor(private readonly dir: string) {}

	pathOf(id: string): string {
		return join(this.dir, id.slice(0, 2), id.slice(2));
	}

	async has(id: string): Promise<boolean> {
		try {
			await access(this.pathOf(id));
			return true;
		} catch {
			return false;
		}
	}

	/** The ids of `ids` not in the store, in their order, each once. */
	async missing(ids: string[]): Promise<string[]> {
		const unique = [...new Set(ids)];
		const missing: string[] = [];
		for (let i = 0; i < unique.length; i += 256) {
			const batch = unique.slice(i, i + 256);
			const present = await Promise.all(batch.map((id) => this.has(id)));
			missing.push(...batch.filter((_, j) => !present[j]));
		}
		return missing;
	}

	async put(id: string, content: Uint8Array): Promise<void> {
		if (await this.has(id)) return;
		await writeFileAtomic(this.pathOf(id), content);
	}

	read(id: string): Promise<Buffer> {
		return readFile(this.pathOf(id));
	}

	/** Copies (reflinks where the file system can) so an app writing to its files never corrupts the store. */
	copyTo(id: string, target: string): Promise<void> {
		return copyFile(this.pathOf(id), target, fsConstants.COPYFILE_EXCL | fsConstants.COPYFILE_FICLONE);
	}
}
