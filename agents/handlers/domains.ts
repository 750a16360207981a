import type { domainsMethods } from "../../core/protocol/domains.js";
import type { Handler } from "./call.js";

/** issue 6: the handlers of core/protocol/domains.ts. */
export const domainsHandlers: { [M in keyof typeof domainsMethods]: Handler<M> } = {};
