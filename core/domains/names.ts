import { domainToUnicode } from "node:url";
import { checkDomainName } from "../protocol/domains.js";
import { DeployError } from "../protocol/index.js";

/**
 * A domain typed by a person (CLI argument, api input), in its ASCII form, or a
 * BAD_ARGUMENT that quotes it and says what is wrong. Nothing is sent anywhere before this.
 */
export function parseDomainArgument(input: string): string {
	const checked = checkDomainName(input.trim());
	if (checked.ok) return checked.ascii;
	throw new DeployError(
		"BAD_ARGUMENT",
		`${JSON.stringify(input)} is not a valid domain: ${checked.problem}.`,
		"A domain is a host name like app.example.com: labels of letters, digits and hyphens, at least two.",
	);
}

/** Both forms a person may recognise: the punycode one DNS and the proxy use, and the Unicode one they typed. */
export function domainForms(ascii: string): { domain: string; unicode: string } {
	return { domain: ascii, unicode: domainToUnicode(ascii) || ascii };
}
