/**
 * What a schema's custom issue (`ctx.addIssue({ code: "custom", message, params })`)
 * may carry for a person besides its message, read where the api's input is parsed
 * (core/api/contract.ts parseApiInput): a `sentence` that says what was given and what
 * is wrong (shown as is, in place of "field: message", which config errors keep), and
 * a `hint` more precise than the method's.
 */
export interface InputIssueParams {
	sentence?: string;
	hint?: string;
}
