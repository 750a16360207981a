import { collectHealth } from "../status/collect.js";
import type { Handler } from "./call.js";

export const status: Handler<"status"> = async (_params, { agent }) => collectHealth(agent);
