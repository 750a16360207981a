import * as z from "zod";
import { domainName } from "../domains.js";
import { appName, projectFolder } from "../names.js";
import { metricsConfig } from "./metrics.js";
import { routingConfig } from "./routing.js";
import { previewsConfig } from "./previews.js";
import { appScalingConfig, processScalingConfig } from "./scaling.js";
import { teamName } from "../team.js";

// The ONE definition of deploy.yaml. Validation, the JSON Schema for editors
// (schemas/deploy.schema.json) and the reference (docs/config.md) all come from it,
// so every key carries a description, its default and an example.

/** Same rule as the agent's process names (core/protocol/spec.ts). */
const processName = z.string().regex(/^[a-z][a-z0-9_-]{0,30}$/, "must be a lowercase name like web or worker (letters, digits, - and _)");

/** Same rule as the agent's env keys: something a shell can export. */
const envKey = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a shell variable name (letters, digits and _, not starting with a digit)");

const command = z.string().trim().min(1, "must not be empty");

export const healthcheckConfig = z
	.strictObject({
		path: z
			.string()
			// A regex, not startsWith: it becomes a plain `pattern` in the JSON Schema.
			.regex(/^\//, "must start with /")
			.optional()
			.meta({
				description: "HTTP path the agent requests on each new instance before sending traffic to it. Without it, the check is a TCP connect to the instance's port.",
				examples: ["/healthz"],
			}),
		timeoutSeconds: z
			.number()
			.int()
			.min(1)
			.max(600)
			.default(30)
			.meta({ description: "Seconds a new instance has to become healthy before the deployment fails and the previous release keeps serving.", examples: [60] }),
		intervalMs: z
			.number()
			.int()
			.min(50)
			.max(60_000)
			.default(250)
			.meta({ description: "Milliseconds between two probes of a new instance while it starts, after its first second (probed every 50 ms, or this if less).", examples: [500] }),
		expectedStatus: z
			.number()
			.int()
			.min(100)
			.max(599)
			.optional()
			.meta({
				description: "The HTTP status a healthy instance answers `path` with. Default: any 2xx or 3xx status. Ignored without `path` (a TCP check has no status).",
				examples: [204],
			}),
	})
	.meta({ description: "How the agent decides a new instance is ready to receive traffic." });

export const processConfig = z
	.strictObject({
		command: command.optional().meta({
			description: "Command line run by `sh -c` in the release folder, with $PORT set. Default: the package.json start script.",
			examples: ["node server.js"],
		}),
		instances: z.number().int().min(1).max(100).default(1).meta({ description: "How many copies run side by side behind the proxy.", examples: [2] }),
		healthcheck: healthcheckConfig.default({ timeoutSeconds: 30, intervalMs: 250 }),
		drainSeconds: z
			.number()
			.int()
			.min(0)
			.max(3600)
			.default(30)
			.meta({
				description:
					"Seconds an old instance has to finish its in-flight requests after a new release took over: it gets SIGTERM at once, and SIGKILL when the time is up. The deploy reports live before draining ends.",
				examples: [10],
			}),
		// Issue 7: auto-scaling and resource limits.
		...processScalingConfig,
	})
	.meta({ description: "One kind of process of the app." });

export const projectConfigSchema = z
	.strictObject({
		app: appName.optional().meta({
			description: "The app's name: a DNS label used in its URL and as its folder on the server. Default: the package.json name (scope dropped, made a DNS label), else the folder name.",
			examples: ["hello"],
		}),
		server: z
			.string()
			.min(1, "must not be empty")
			.optional()
			.meta({ description: "The server to deploy to: the name given to `deploy servers add`.", examples: ["my-vps"] }),
		team: teamName.optional().meta({
			description:
				"Issue 16: the team on the server the app belongs to (`deploy team create`). Its members see and deploy it as their roles allow; the server refuses a member who names a team the app is not in. Default: the team the app already belongs to, else the deployer's only team, else the server's default team.",
			examples: ["acme"],
		}),
		root: projectFolder.optional().meta({
			description:
				"In an npm, yarn or pnpm workspace: the package to deploy, relative to this file's folder (a deploy.yaml at the workspace root naming packages/web). Without it, `deploy` run inside a package deploys that package. Either way the whole workspace is uploaded (less what .gitignore and .deployignore leave out), dependencies are installed once at its root with its lockfile and package manager, and the build, the processes and `static.dir` run in the package's folder. Default: the folder deploy runs in.",
			examples: ["packages/web"],
		}),
		framework: z
			.string()
			.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "must be a framework id like express, nextjs or vite (as `deploy init` prints it)")
			.optional()
			.meta({
				description:
					"The framework, which decides how the app is built, started or served: an id as `deploy init` prints it (express, fastify, nextjs, nuxtjs, sveltekit, remix, astro, vite...). Default: detected on the server from package.json and config files, with @vercel/frameworks' detectors.",
				examples: ["express"],
			}),
		packageManager: z
			.enum(["npm", "pnpm", "yarn"])
			.optional()
			.meta({
				description: "The package manager that installs dependencies and runs scripts. Default: from the lockfile (pnpm-lock.yaml, yarn.lock, package-lock.json), else package.json's packageManager field, else npm.",
				examples: ["pnpm"],
			}),
		install: command.optional().meta({
			description: "Command that installs dependencies. Default: detected from the lockfile (npm ci, pnpm install --frozen-lockfile, yarn install --frozen-lockfile).",
			examples: ["npm ci"],
		}),
		build: command.optional().meta({
			description: "Command that builds the app. Default: `npm run build` when package.json has a build script, else no build.",
			examples: ["npm run build"],
		}),
		static: z
			.strictObject({
				// Relative and inside the release: the proxy serves this folder as files. The agent's rule too.
				dir: projectFolder.meta({
					description:
						"The folder, after the build, whose files are served (relative to the project folder). It and the links in it must stay inside the project once every link is followed: the server refuses the deploy otherwise (STATIC_DIR_OUTSIDE), and the live release keeps serving.",
					examples: ["dist"],
				}),
				spa: z
					.boolean()
					.default(false)
					.meta({ description: "A single-page app: paths that are not files answer with index.html, so client-side routes work on reload.", examples: [true] }),
			})
			.optional()
			.meta({
				description:
					"Serve the app as a static site: the files of `dir` (after the build), with no Node process of the app (Caddy serves them itself). Hashed assets get long cache headers. Default: detected from the framework (Vite, Astro static, SvelteKit static...); a folder without package.json that has an index.html (or public/index.html) is served as it is (dir `.`, or `public`), with no install or build; else a Node server.",
				examples: [{ dir: "dist", spa: true }],
			}),
		buildTimeoutSeconds: z
			.number()
			.int()
			.min(10)
			.max(7200)
			.default(900)
			.meta({
				description: "Seconds the install and the build may take together; past it they are stopped, the deployment fails with BUILD_TIMEOUT and the live release keeps serving.",
				examples: [300],
			}),
		processes: z
			.record(processName, processConfig)
			.default({})
			.meta({
				description: "The processes to run, by name. Default: one `web` process running the start script. The `web` process receives the HTTP traffic.",
				examples: [{ web: { command: "node server.js", instances: 2, healthcheck: { path: "/healthz" } } }],
			}),
		env: z
			.record(envKey, z.string({ error: "must be a string (put numbers and booleans in quotes)" }))
			.default({})
			.meta({ description: "Environment variables for install, build and every process. Values are strings.", examples: [{ NODE_ENV: "production", LOG_LEVEL: "info" }] }),
		domains: z
			// Issue 6: the one domain rule (core/protocol/domains.ts); values become their ASCII (punycode) form.
			.array(domainName)
			.default([])
			.meta({
				description:
					"Host names the app answers on, besides its generated `<app>.<address>.sslip.io` URL: at least two labels, letters, digits and hyphens (international names are converted to punycode), no wildcards (their certificates would need the DNS-01 challenge). `deploy domains add` adds more without a deploy. Point their DNS at the server. Each gets an HTTPS certificate from the server's ACME CA (Let's Encrypt by default; none on a server added with `--no-tls`).",
				examples: [["example.com", "www.example.com"]],
			}),
		releases: z
			.strictObject({
				keep: z
					.number()
					.int()
					.min(1)
					.max(100)
					.default(5)
					.meta({
						description: "How many releases the server keeps, the live one included: `deploy rollback` can go back to any of them in about a second. Older ones are pruned.",
						examples: [10],
					}),
			})
			.default({ keep: 5 })
			.meta({ description: "What the server keeps of past deployments for rollback.", examples: [{ keep: 10 }] }),
		// Issue 6: preview deployments per branch.
		...previewsConfig,
		// Issue 6: redirects, rewrites, headers, HSTS.
		...routingConfig,
		// Issue 7: app-wide scaling settings, alerts.
		...appScalingConfig,
		...metricsConfig,
	})
	.meta({ title: "deploy.yaml", description: "How Deploy Platform builds and runs the app in this folder." });

/** deploy.yaml as written, after defaults; `app` may still be missing. */
export type ProjectConfigFile = z.output<typeof projectConfigSchema>;

/** The resolved project config: `app` always set (from deploy.yaml, package.json or the folder name). */
export type ProjectConfig = Omit<ProjectConfigFile, "app"> & { app: string };
