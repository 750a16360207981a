import { domainToUnicode } from "node:url";

/** Both forms a person may recognise: the punycode one DNS and the proxy use, and the Unicode one they typed. */
export function domainForms(ascii: string): { domain: string; unicode: string } {
	return { domain: ascii, unicode: domainToUnicode(ascii) || ascii };
}
