import picocolors from "picocolors";

/**
 * Colors for what the CLI writes to stderr: on only when stderr is a terminal (and
 * NO_COLOR is unset, or FORCE_COLOR asks for them). picocolors' own default also
 * turns them on whenever $CI is set, which puts escape codes into captured output.
 */
const wanted = process.env.FORCE_COLOR ? process.env.FORCE_COLOR !== "0" : process.stderr.isTTY === true && !("NO_COLOR" in process.env);

export const pc = picocolors.createColors(wanted);
export type Colors = typeof pc;
