import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { DeployError } from "../../core/protocol/index.js";
import { candidateFiles, type PackageJson, packageJson, type ReleaseFacts } from "./detect.js";

/** Reads what detection needs from a release folder: package.json and which candidate files exist. */
export async function readReleaseFacts(dir: string): Promise<ReleaseFacts> {
	const pkg = await readPackageJson(dir);
	const files: string[] = [];
	for (const name of candidateFiles(pkg)) {
		if (await access(join(dir, name)).then(() => true, () => false)) files.push(name);
	}
	return { pkg, files };
}

async function readPackageJson(dir: string): Promise<PackageJson | null> {
	let text: string;
	try {
		text = await readFile(join(dir, "package.json"), "utf8");
	} catch {
		return null;
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		throw new DeployError("PACKAGE_JSON_INVALID", `package.json is not valid JSON: ${(error as Error).message}`, "Fix package.json and deploy again.");
	}
	const parsed = packageJson.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new DeployError("PACKAGE_JSON_INVALID", `package.json ${issue?.path.join(".")}: ${issue?.message}`, "Fix package.json and deploy again.");
	}
	return parsed.data;
}
