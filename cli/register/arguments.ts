import { InvalidArgumentError } from "commander";

// Option parsers shared by the command registrations: a bad value is a usage error
// (exit 2), reported by commander with the option's name.

/** A whole number ≥ 0, e.g. `--lines`, `--limit`; `name` says what it counts in the error. */
export function integer(name: string) {
	return (value: string): number => {
		const number = Number(value);
		if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError(`${name} must be a whole number.`);
		return number;
	};
}

export const port = integer("a port");

/** How many entries a listing shows: 1 to 1000. */
export function count(value: string): number {
	const number = Number(value);
	if (!Number.isInteger(number) || number < 1 || number > 1000) throw new InvalidArgumentError("the count must be a whole number from 1 to 1000.");
	return number;
}
