// The quoting rules live in core (core/servers/shell.ts), beside the scripts the
// bootstrap builds; the provider's own command lines use the same ones.
export { quote, rootCommand, shCommand } from "../../core/servers/shell.js";
