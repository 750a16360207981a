// The api's one boundary: every method of the Api that createApi returns parses its
// input with the contract's schema (core/api/contract.ts) and then calls the
// implementation, so the CLI (in-process), HTTP and IPC are validated alike and once,
// and implementations take the parsed input as it is. Options pass through unchanged:
// the CLI's confirmHostKey reaches `servers.add`; HTTP and IPC never send one.
import { apiMethodNames, parseApiInput } from "./contract.js";
import type { Api } from "./index.js";

type Method = (input: unknown, options?: unknown) => Promise<unknown>;

export function withContract(implementations: Api): Api {
	const api: Record<string, Record<string, Method>> = {};
	for (const method of apiMethodNames) {
		const [group, key] = method.split(".") as [keyof Api & string, string];
		// The contract's keys are checked against Api by its `satisfies`; one cast spares a wrapper per method.
		const implementation = (implementations[group] as unknown as Record<string, Method>)[key]!;
		api[group] ??= {};
		// async: a bad input is a rejected promise, like any failure of a call.
		api[group][key] = async (input, options) => implementation(parseApiInput(method, input), options);
	}
	return api as unknown as Api;
}
