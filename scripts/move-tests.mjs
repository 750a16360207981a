#!/usr/bin/env node
// Moves test files with `git mv` (so history follows) and fixes the relative paths in
// them and in the files that import them: `node scripts/move-tests.mjs FROM TO [FROM TO...]`
// or `node scripts/move-tests.mjs --list moves.txt` (one "FROM TO" a line).
// Tests of one source file live where that file lives, under test/ (tests of
// agents/deploy/go-live-plan.ts are test/agents/deploy/go-live-plan.test.ts); this
// is the tool for putting a test written elsewhere there.
// Paths built from import.meta.url ("../..") are not import specifiers: it names the
// files that have them, to be checked by hand.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const SPECIFIER = /((?:\bfrom|\bimport|\bvi\.mock|\bimport\()\s*\(?\s*)(["'])(\.\.?\/[^"']+)\2/g;

function pairsFrom(argv) {
	if (argv[0] === "--list") {
		return readFileSync(argv[1], "utf8")
			.split("\n")
			.map((line) => line.trim().split(/\s+/))
			.filter((pair) => pair.length === 2 && pair[0] !== pair[1]);
	}
	if (argv.length === 0 || argv.length % 2 !== 0) throw new Error("usage: move-tests.mjs FROM TO [FROM TO...] | --list FILE");
	const pairs = [];
	for (let i = 0; i < argv.length; i += 2) pairs.push([argv[i], argv[i + 1]]);
	return pairs;
}

/** `spec` as seen from `fromFile`, pointing at the same file after every move. */
function respecify(spec, oldImporter, newImporter, moved) {
	const target = resolve(dirname(oldImporter), spec);
	const tsTarget = target.replace(/\.js$/, ".ts");
	const movedTo = moved.get(tsTarget) ?? moved.get(target);
	// Neither end moves: the text stays as written (it may be a string in a test's own tree).
	if (!movedTo && newImporter === oldImporter) return spec;
	const finalTarget = movedTo ? (moved.has(tsTarget) ? movedTo.replace(/\.ts$/, ".js") : movedTo) : target;
	let out = relative(dirname(newImporter), finalTarget);
	if (!out.startsWith(".")) out = `./${out}`;
	return out;
}

function main(argv) {
	const root = process.cwd();
	const pairs = pairsFrom(argv).map(([from, to]) => [resolve(root, from), resolve(root, to)]);
	const moved = new Map(pairs);
	const testFiles = readdirSync(join(root, "test"), { recursive: true, encoding: "utf8" })
		.filter((file) => /\.(ts|mts|mjs)$/.test(file))
		.map((file) => resolve(root, "test", file));
	const byHand = [];
	// Rewrite every file's specifiers as they will be after the moves, then move.
	for (const file of testFiles) {
		const newFile = moved.get(file) ?? file;
		const text = readFileSync(file, "utf8");
		const next = text.replace(SPECIFIER, (_whole, head, quote, spec) => `${head}${quote}${respecify(spec, file, newFile, moved)}${quote}`);
		if (next !== text) writeFileSync(file, next);
		if (newFile !== file && /import\.meta\.(url|dirname)/.test(next)) byHand.push(relative(root, newFile));
	}
	for (const [from, to] of pairs) {
		if (!existsSync(from)) throw new Error(`${relative(root, from)} is not there`);
		mkdirSync(dirname(to), { recursive: true });
		execFileSync("git", ["mv", from, to], { stdio: "inherit" });
	}
	console.log(`moved ${pairs.length} files`);
	if (byHand.length > 0) console.log(`paths from import.meta to check by hand:\n  ${byHand.join("\n  ")}`);
}

main(process.argv.slice(2));
