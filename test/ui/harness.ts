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

/** How long a UI test waits for what a real server does (a deploy, a certificate). */
export const LONG = Number(process.env.UI_TEST_TIMEOUT ?? 120_000);

export interface UiProcess {
	/** The printed launch URL: it opens one tab, once. */
	url: string;
	origin: string;
	/** Everything `deploy ui` wrote to stdout and stderr so far. */
	output(): string;
	stop(): Promise<void>;
}

/**
 * Starts `deploy ui --port <free>` and resolves with the URL it prints; `--no-open`
 * unless `open` (then the browser is whatever $BROWSER in `env` names).
 */
export async function startUi(env: Record<string, string>, options: { open?: boolean } = {}): Promise<UiProcess> {
	const port = await freePort();
	const args = [join(repoRoot, "bin/deploy"), "ui", "--port", String(port), ...(options.open ? [] : ["--no-open"])];
	const child = spawn(process.execPath, args, {
		env: { ...process.env, ...env },
		stdio: ["ignore", "pipe", "pipe"],
	});
	let output = "";
	const url = await new Promise<string>((resolve, reject) => {
		// A URL in another shape would otherwise leave the test waiting for ever.
		const timer = setTimeout(() => {
			child.kill("SIGTERM");
			reject(new Error(`deploy ui printed no launch URL within 60 s:\n${output}`));
		}, 60_000);
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			const match = /http:\/\/127\.0\.0\.1:\d+\/#launch=[A-Za-z0-9_-]+/.exec(output);
			if (match) {
				clearTimeout(timer);
				resolve(match[0]);
			}
		};
		child.stdout.on("data", onData);
		child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
		child.once("exit", (code) => {
			clearTimeout(timer);
			reject(new Error(`deploy ui exited (${code}) before printing its URL:\n${output}`));
		});
	});
	const parsed = new URL(url);
	return {
		url,
		origin: parsed.origin,
		output: () => output,
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
	/** Console errors and uncaught page errors (CSP violations, script errors): the UI must run without any. */
	problems: string[];
	close(): Promise<void>;
}

export interface LaunchOptions {
	/** More command-line switches (e.g. --host-resolver-rules mapping a test domain to 127.0.0.1). */
	args?: string[];
	/** The browser's environment on top of this process's (e.g. a HOME whose NSS database trusts a test CA). */
	env?: Record<string, string>;
}

/** Headless Chromium with a throwaway profile; nothing leaves 127.0.0.1. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
	const profile = await mkdtemp(join(tmpdir(), "deploy-ui-chromium-"));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: "/usr/bin/chromium",
		headless: true,
		args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", ...(options.args ?? [])],
		...(options.env ? { env: { ...(process.env as Record<string, string>), ...options.env } } : {}),
		viewport: { width: 1280, height: 900 },
		colorScheme: "light",
	});
	const page = context.pages()[0] ?? (await context.newPage());
	const problems: string[] = [];
	page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
	page.on("pageerror", (error) => problems.push(error.message));
	return {
		context,
		page,
		problems,
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

/** Opens a view by its button in the navigation, as a person does. */
export function openView(page: Page, name: string): Promise<void> {
	return page.getByRole("navigation", { name: "Views" }).getByRole("button", { name, exact: true }).click();
}
