import type { scalingMethods } from "../../core/protocol/scaling.js";
import type { Handler } from "./call.js";

/** issue 7: the handlers of core/protocol/scaling.ts. */
export const scalingHandlers: { [M in keyof typeof scalingMethods]: Handler<M> } = {};
