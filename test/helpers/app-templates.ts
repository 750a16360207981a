// Apps from templates published on npm, made the way their users make them:
// create-vite's react-ts template and express-generator's app.
import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, renameSync } from "node:fs";
import { join } from "node:path";

const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, stdio: "pipe", encoding: "utf8" });

/** `npm pack <name>` into `dir` and unpacked there; returns the package folder. */
function unpack(name: string, dir: string): string {
	const target = join(dir, name);
	execFileSync("mkdir", ["-p", target]);
	npm(["pack", name, "--silent"], target);
	const tarball = readdirSync(target).find((file) => file.endsWith(".tgz"))!;
	execFileSync("tar", ["xzf", tarball], { cwd: target });
	return join(target, "package");
}

/** create-vite's template-react-ts copied out as `create-vite` would (`_gitignore` renamed). */
export function viteReactApp(dir: string): string {
	const pkg = unpack("create-vite", dir);
	const app = join(dir, "vite-app");
	cpSync(join(pkg, "template-react-ts"), app, { recursive: true });
	renameSync(join(app, "_gitignore"), join(app, ".gitignore"));
	return app;
}

/** express-generator's app (`express --no-view`): its bin run with its own dependencies installed. */
export function expressApp(dir: string): string {
	const pkg = unpack("express-generator", dir);
	npm(["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline"], pkg);
	const app = join(dir, "express-app");
	execFileSync(process.execPath, [join(pkg, "bin", "express-cli.js"), "--no-view", "--force", app], { stdio: "pipe" });
	return app;
}
