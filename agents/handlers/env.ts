import type { envMethods } from "../../core/protocol/env.js";
import type { Handler } from "./call.js";

/** issue 7: the handlers of core/protocol/env.ts. */
export const envHandlers: { [M in keyof typeof envMethods]: Handler<M> } = {};
