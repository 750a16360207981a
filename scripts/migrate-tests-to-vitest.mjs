#!/usr/bin/env node
// Converts test files written for node:test to vitest (issue 15, item 6).
//
// For test files written on branches that started before the move to vitest: after
// merging such a branch, run `node scripts/migrate-tests-to-vitest.mjs` (all of test/**)
// or name the files. Only files that still import from "node:test" are touched, so a
// second run changes nothing. Once no branch from before the move is left, delete it.
//
// What it maps (the forms the suites used; anything else is reported, not guessed):
//   import { before, after, beforeEach, afterEach, describe, suite, test, it, type TestContext } from "node:test"
//     -> the same from "vitest", with before -> beforeAll, after -> afterAll, suite -> describe
//   test(name, { skip: "why" | cond, concurrency, timeout, todo, only }, fn)
//     -> vitest's options object: skip as a boolean, concurrency as `concurrent`
//   after(fn) called inside a running test (it belongs to that test) -> onTestFinished(fn)
//   the test context: t.after(fn) -> t.onTestFinished(fn), t.diagnostic(text) -> t.annotate(text),
//     t.name -> t.task.name; t.skip(why) and t.signal are the same in vitest
// Assertions stay node:assert: vitest counts any thrown error as a failure.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

const NAMES = { before: "beforeAll", after: "afterAll", beforeEach: "beforeEach", afterEach: "afterEach", describe: "describe", suite: "describe", test: "test", it: "it" };
const CONTEXT_METHODS = { after: "onTestFinished", diagnostic: "annotate" };
const UNSUPPORTED_CONTEXT = ["test", "plan", "mock", "before", "beforeEach", "afterEach", "todo", "runOnly", "assert", "fullName", "filePath"];
const IMPORT = /^import\s*\{([^}]*)\}\s*from\s*"node:test";?[ \t]*$/m;

/** The file's text under vitest, and what could not be converted (for a person to look at). */
export function convert(text) {
	const match = IMPORT.exec(text);
	if (!match) return { text, problems: [] };
	const problems = [];
	const imported = new Map(); // local name -> vitest name
	let wantsContextType = false;
	for (const raw of match[1].split(",").map((part) => part.trim()).filter(Boolean)) {
		const [name, alias] = raw.replace(/^type\s+/, "").split(/\s+as\s+/);
		if (name === "TestContext") {
			wantsContextType = true;
			if (alias) problems.push(`TestContext imported as ${alias}: rename it by hand`);
			continue;
		}
		if (!(name in NAMES)) {
			problems.push(`node:test export \`${name}\` has no mapping (mock -> vi, snapshot, run...): convert it by hand`);
			continue;
		}
		imported.set(alias ?? name, NAMES[name]);
	}
	let body = text.slice(0, match.index) + text.slice(match.index + match[0].length);

	// Hooks and suites under their vitest names, only where called (a local `const before` stays).
	for (const [local, target] of imported) {
		if (local === target) continue;
		body = body.replace(new RegExp(`(?<![\\w.$])${local}(?=\\s*\\()`, "g"), target);
	}
	// node:test takes hook options as an object after the function, vitest a timeout number:
	// the suites never used them, and a regex cannot find the hook's end safely.
	if (/\b(?:beforeAll|afterAll|beforeEach|afterEach)\(/.test(body) && /^\s*\}\s*,\s*\{\s*(?:timeout|signal):[^}]*\}\s*\);?\s*$/m.test(body)) {
		problems.push("a hook may take node:test options ({ timeout }): vitest takes a number there, check it by hand");
	}

	body = convertOptions(body, problems);
	body = convertContext(body, problems);
	const hooksInTests = convertHooksInTests(body, problems);
	body = hooksInTests.text;

	const names = [...new Set(imported.values())].sort();
	if (hooksInTests.used) names.push("onTestFinished");
	if (wantsContextType) names.push("type TestContext");
	const vitestImport = `import { ${names.join(", ")} } from "vitest";`;
	body = body.slice(0, match.index) + vitestImport + body.slice(match.index);
	return { text: body, problems };
}

/** node:test options objects (second argument of test/describe/it) in vitest's form. */
function convertOptions(body, problems) {
	return body.replace(/(\b(?:test|it|describe)(?:\.\w+)?\((?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`|[\w.]+),\s*)\{([^{}]*)\}(\s*,)/g, (whole, head, options, tail) => {
		let changed = options;
		// vitest's skip is a boolean: node:test's reason string (or false) becomes its truth.
		changed = changed.replace(/\bskip:\s*([^,]+?)(\s*(?:,|$))/, (_, value, end) => `skip: Boolean(${value.trim()})${end}`);
		changed = changed.replace(/\bconcurrency:\s*([^,]+?)(\s*(?:,|$))/, (_, value, end) => `concurrent: Boolean(${value.trim()})${end}`);
		if (/\b(signal|plan):/.test(changed)) problems.push(`test option in \`${whole.slice(0, 60)}...\` has no vitest form: convert it by hand`);
		return `${head}{${changed}}${tail}`;
	});
}

/**
 * node:test's `after(fn)` called inside a running test belongs to that test; vitest's
 * afterAll there is an error. The syntax tree says which calls sit in a test's function.
 */
function convertHooksInTests(text, problems) {
	const source = ts.createSourceFile("test.ts", text, ts.ScriptTarget.Latest, true);
	const starts = [];
	const isTestCall = (node) => {
		if (!ts.isCallExpression(node)) return false;
		let callee = node.expression;
		while (ts.isPropertyAccessExpression(callee) || ts.isCallExpression(callee)) callee = callee.expression;
		return ts.isIdentifier(callee) && (callee.text === "test" || callee.text === "it");
	};
	const visit = (node) => {
		if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && /^(before|after)(All|Each)$/.test(node.expression.text)) {
			let fn = node.parent;
			while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
			if (fn && isTestCall(fn.parent) && fn.parent.arguments.includes(fn)) {
				if (node.expression.text === "afterAll") starts.push(node.expression.getStart(source));
				else problems.push(`${node.expression.text}() inside a test (line ${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}): no vitest form, convert it by hand`);
			}
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	let out = text;
	for (const start of starts.reverse()) out = `${out.slice(0, start)}onTestFinished${out.slice(start + "afterAll".length)}`;
	return { text: out, used: starts.length > 0 };
}

/** The test context's node:test methods under their vitest names. */
function convertContext(body, problems) {
	const contexts = new Set();
	for (const m of body.matchAll(/\b(?:test|it)(?:\.\w+)?\([^\n]*?(?:async\s*)?\((\w+)(?:\s*:\s*TestContext)?\)\s*=>/g)) contexts.add(m[1]);
	for (const m of body.matchAll(/\b(\w+)\s*:\s*TestContext\b/g)) contexts.add(m[1]);
	for (const name of contexts) {
		body = body.replace(new RegExp(`(?<![\\w.$])${name}\\.(\\w+)\\b`, "g"), (whole, method) => {
			if (method in CONTEXT_METHODS) return `${name}.${CONTEXT_METHODS[method]}`;
			if (method === "name") return `${name}.task.name`;
			if (UNSUPPORTED_CONTEXT.includes(method)) problems.push(`${whole}: no vitest form, convert it by hand`);
			return whole;
		});
	}
	return body;
}

function main(argv) {
	const files = argv.length > 0 ? argv : readdirSync("test", { recursive: true }).map((file) => join("test", file)).filter((file) => /\.test\.[mc]?[jt]s$/.test(file));
	let converted = 0;
	let failed = false;
	for (const file of files) {
		const before = readFileSync(file, "utf8");
		const { text, problems } = convert(before);
		if (text !== before) {
			writeFileSync(file, text);
			converted++;
		}
		for (const problem of problems) {
			failed = true;
			console.error(`${relative(process.cwd(), file)}: ${problem}`);
		}
	}
	console.log(`converted ${converted} of ${files.length} files`);
	if (failed) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
