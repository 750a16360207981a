// The UI as a person runs it: the built CLI's `deploy ui` on 127.0.0.1, and Debian's
// Chromium driven by playwright-core, each with a fresh profile, both stopped by the test.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { repoRoot } from "../helpers/cli.js";
import { freePort } from "../helpers/net.js";

export const screenshotDir = join(repoRoot, "test-results/ui");

export interface UiProcess {
	url: string;
	origin: string;
	token: string;
	stop(): Promise<void>;
}

/** Starts `deploy ui --port <free> --no-open` and resolves with the URL it prints. */
export async function startUi(env: Record<string, string>): Promise<UiProcess> {
	const port = await freePort();
	const child = spawn(process.execPath, [join(repoRoot, "bin/deploy"), "ui", "--port", String(port), "--no-open"], {
		env: { ...process.env, ...env },
		stdio: ["ignore", "pipe", "pipe"],
	});
	let output = "";
	const url = await new Promise<string>((resolve, reject) => {
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+/.exec(output);
			if (match) resolve(match[0]);
		};
		child.stdout.on("data", onData);
		child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
		child.once("exit", (code) => reject(new Error(`deploy ui exited (${code}) before printing its URL:\n${output}`)));
	});
	const parsed = new URL(url);
	return {
		url,
		origin: parsed.origin,
		token: parsed.hash.replace("#token=", ""),
		stop: () => stopChild(child),
	};
}

function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		child.once("exit", () => resolve());
		child.kill("SIGTERM");
	});
}

export interface Browser {
	context: BrowserContext;
	page: Page;
	close(): Promise<void>;
}

/** Headless Chromium with a throwaway profile; nothing leaves 127.0.0.1. */
export async function launchBrowser(): Promise<Browser> {
	const profile = await mkdtemp(join(tmpdir(), "deploy-ui-chromium-"));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: "/usr/bin/chromium",
		headless: true,
		args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
		viewport: { width: 1280, height: 900 },
		colorScheme: "light",
	});
	const page = context.pages()[0] ?? (await context.newPage());
	return {
		context,
		page,
		async close() {
			await context.close();
			await rm(profile, { recursive: true, force: true });
		},
	};
}

/** A full-page screenshot under test-results/ui/, to look at after the run. */
export async function screenshot(page: Page, name: string): Promise<void> {
	await mkdir(screenshotDir, { recursive: true });
	await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}
