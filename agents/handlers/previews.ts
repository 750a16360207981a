import type { previewsMethods } from "../../core/protocol/previews.js";
import type { Handler } from "./call.js";

/** issue 6: the handlers of core/protocol/previews.ts. */
export const previewsHandlers: { [M in keyof typeof previewsMethods]: Handler<M> } = {};
