/** The one place a word is quoted for `sh -c`: single quotes, with embedded ones closed and escaped. */
export function shellQuote(word: string): string {
	return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
