import type { Command } from "commander";

/** One example: the command line as typed, and what it does when the line alone does not say. */
type Example = readonly [line: string, note?: string];

/**
 * The examples each command's help ends with, by the command's path (`""` is
 * `deploy --help` itself). A command without any fails the help test, so a new command
 * comes with its examples. `env set` writes its own next to its registration.
 */
const EXAMPLES: Record<string, readonly Example[]> = {
	"": [
		["deploy servers add prod root@203.0.113.7", "set a server up, once"],
		["deploy", "put this folder live, print its URL"],
		["deploy apps/web --server prod", "another folder, to the server prod"],
		["deploy logs -f", "follow the app's output"],
		["deploy rollback", "the release before, live again"],
		["deploy help servers add", "a command's options and examples"],
	],
	deploy: [
		["deploy", "this folder"],
		["deploy ./web --server prod", "a folder: a path, or one that exists here"],
		["deploy --preview --ttl 2d", "a preview with its own URL; production untouched"],
		["deploy --json | tail -n 1", "the result as one JSON line, after the events"],
	],
	preview: [["deploy preview", "http://<app>.localhost:4000"], ["deploy preview ./web --port 4100"]],
	rollback: [["deploy rollback", "the release before the live one"], ["deploy rollback dk3v9x2a1q", "a deployment id from `deploy ls`"]],
	// Issue 18: deploys by git push.
	"git-remote": [["deploy git-remote", "then `git push deploy main`; other branches are previews"], ["deploy git-remote --server prod --remote prod"]],
	redeploy: [["deploy redeploy", "the live commit again as a new release, from the caches"], ["deploy redeploy --app shop"]],
	cancel: [["deploy cancel", "the app's running deploy; the live release keeps serving"], ["deploy cancel --app shop"]],
	scale: [["deploy scale web=3"], ["deploy scale web=2 worker=1 --app shop"]],
	rm: [["deploy rm dk3v9x2a1q", "a preview, or a kept release's files"]],
	servers: [["deploy servers add prod root@203.0.113.7"], ["deploy servers status"]],
	"servers add": [
		["deploy servers add prod root@203.0.113.7", "root or a user with passwordless sudo"],
		["deploy servers add prod prod-box", "a Host alias of ~/.ssh/config"],
		["deploy servers add staging deploy@10.0.0.5 -p 2222 -i ~/.ssh/staging --proxy caddy"],
	],
	"servers upgrade": [["deploy servers upgrade prod"]],
	"servers ls": [["deploy servers ls"], ["deploy servers ls --json"]],
	"servers rm": [["deploy servers rm prod", "forget it; its apps keep running"], ["deploy servers rm prod --purge --yes", "also remove what `servers add` installed"]],
	"servers status": [["deploy servers status"], ["deploy servers status prod"]],
	doctor: [["deploy doctor"], ["deploy doctor --server prod"]],
	cache: [["deploy cache clear"]],
	"cache clear": [["deploy cache clear", "this folder's app, or every app outside a project"], ["deploy cache clear --app shop --server prod"]],
	init: [["deploy init", "write deploy.yaml from what the folder shows"], ["deploy init --force", "write it again, over the old one"]],
	env: [["deploy env set LOG_LEVEL=debug"], ["deploy env ls"]],
	"env ls": [["deploy env ls"], ["deploy env ls --env preview --reveal"]],
	"env unset": [["deploy env unset LOG_LEVEL DEBUG"]],
	"env pull": [["deploy env pull", "into ./.env"], ["deploy env pull .env.production"]],
	"env import": [["deploy env import .env.production"]],
	domains: [["deploy domains add app.example.com"], ["deploy domains ls"]],
	"domains add": [["deploy domains add app.example.com"], ["deploy domains add app.example.com --app shop --no-dns-check"]],
	"domains ls": [["deploy domains ls"]],
	"domains rm": [["deploy domains rm app.example.com"]],
	ls: [["deploy ls"], ["deploy ls --app shop -n 5"], ["deploy ls --server local", "the previews on this machine"]],
	logs: [["deploy logs -f"], ["deploy logs --since 10m --grep error"], ["deploy logs --instance 2 -n 500"], ["deploy logs --build dk3v9x2a1q -f", "a running deployment (a detached push) until it ends"]],
	ps: [["deploy ps"], ["deploy ps --server prod", "outside a project: every app of the server"]],
	metrics: [["deploy metrics"], ["deploy metrics --since 24h"], ["deploy metrics --alerts"]],
	alerts: [["deploy alerts"], ["deploy alerts -n 10 --app shop"]],
	autoscale: [["deploy autoscale status"], ["deploy autoscale log"]],
	"autoscale log": [["deploy autoscale log -n 20"]],
	"autoscale status": [["deploy autoscale status"]],
	// Issue 16.
	team: [["deploy team create acme", "a team; you, the server's owner, own it"], ["deploy team add alice --key alice.pub --role admin --team acme"], ["deploy team ls"]],
	"team create": [["deploy team create acme --apps shop,blog", "a team, given two apps"]],
	"team add": [
		["deploy team add bob --key bob.pub --team acme --apps shop", "a member who sees and previews shop only"],
		["deploy team add alice --key alice.pub --role admin --team acme"],
		["deploy team add carol --email carol@example.com --role member --team acme", "a browser login: prints a one-time link to set a password"],
	],
	"team invite": [["deploy team invite carol", "a new link (72h); the old one stops working"], ["deploy team invite carol --expires 24h --json", "the token and link as JSON"]],
	"team ls": [["deploy team ls --json", "members, roles, apps, key fingerprints, last seen"]],
	"team set": [["deploy team set bob --role admin", "takes effect on bob's next command"], ["deploy team set bob --apps shop,blog --can-deploy-production"]],
	"team rm": [["deploy team rm bob", "bob and his key, at once"], ["deploy team rm bob --team acme", "from one team only"]],
	whoami: [["deploy whoami", "your member name, teams and roles on the server"]],
	audit: [["deploy audit --app shop --since 7d", "who did what to shop this week"], ["deploy audit --json"]],
	ui: [["deploy ui"], ["deploy ui --port 7000 --no-open"]],
	// Issue 17.
	keys: [["deploy keys create ci --team acme --scope deploy --apps shop --expires 90d", "printed once: store it as DEPLOY_TOKEN"], ["deploy keys ls"], ["deploy keys revoke ci"]],
	"keys create": [["deploy keys create ci --team acme --scope deploy --apps shop --expires 90d", "deploys shop, nothing else"], ["deploy keys create grafana --team acme --scope read"]],
	"keys ls": [["deploy keys ls --json", "name, team, scope, apps, created, expires, last used"]],
	"keys revoke": [["deploy keys revoke ci", "its next request is refused"]],
	"servers api": [["deploy servers api enable prod --domain deploy.example.com"], ["deploy servers api status prod"]],
	// Issue 18, items 2 and 3: webhooks.
	hooks: [["deploy hooks add github --repo https://github.com/acme/shop.git", "payload URL and secret, printed once"], ["deploy hooks deliveries --app shop"], ["deploy hooks rm hk_3f9c0a1b2c3d4e5f"]],
	"hooks add": [
		["deploy hooks add github --repo https://github.com/acme/shop.git", "then GitHub: Settings > Webhooks > Add webhook"],
		["deploy hooks add github --repo git@github.com:acme/shop.git", "a private repository: also prints a deploy key to add"],
		["deploy hooks add gitlab --repo https://gitlab.com/acme/shop.git --branch production"],
	],
	"hooks ls": [["deploy hooks ls --app shop", "id, forge, repository, production branch; never the secret"]],
	"hooks rm": [["deploy hooks rm hk_3f9c0a1b2c3d4e5f", "its next delivery is refused"]],
	"hooks deliveries": [["deploy hooks deliveries --app shop --json", "each delivery: signature ok, branch, deployment, result"]],
	"servers api enable": [["deploy servers api enable prod --domain deploy.example.com", "https://deploy.example.com/api/v1 and the dashboard at https://deploy.example.com/, certificate from the server's ACME CA"]],
	"servers api disable": [["deploy servers api disable prod"]],
	"servers api status": [["deploy servers api status prod", "the API's URL and the dashboard's, for teammates"], ["deploy servers api status prod --json"]],
};

/** Ends the help of `program` and of each command under it with its examples. Call after every command is registered. */
export function addExamples(program: Command): void {
	const visit = (command: Command, path: string) => {
		const examples = EXAMPLES[path];
		if (examples) command.addHelpText("after", `\nExamples:\n${formatExamples(examples)}`);
		for (const sub of command.commands) visit(sub, path ? `${path} ${sub.name()}` : sub.name());
	};
	visit(program, "");
}

/** The lines indented, and the notes in one column after the longest line that has a note. */
function formatExamples(examples: readonly Example[]): string {
	const width = Math.max(0, ...examples.filter(([, note]) => note).map(([line]) => line.length));
	return examples.map(([line, note]) => (note ? `  ${line.padEnd(width)}   ${note}` : `  ${line}`)).join("\n");
}
