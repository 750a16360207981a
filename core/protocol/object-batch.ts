import * as z from "zod";

/** Objects per objects.put batch the agent accepts (the client sends at most BATCH_OBJECTS). */
export const PUT_BATCH_MAX_OBJECTS = 10_000;

/**
 * An objects.put batch's ids and sizes, packed: the ids back to back in one string,
 * the sizes in one comma-separated string. The agent runs its JavaScript in the
 * interpreter only (agents/system/memory-flags.ts), where zod's check of 2,000
 * `{ id, size }` objects per batch cost ~0.15 s per 50,000 files and JSON.parse of
 * them as much again; two strings checked by one regex each cost a tenth of that.
 * Client and agent ship together, so only the bundled agent needs to read this shape.
 * Once checked, it becomes the `{ id, size }` list the agent's code works with.
 */
export const packedObjects = z
	.object({
		ids: z
			.string()
			.max(PUT_BATCH_MAX_OBJECTS * 40)
			.regex(/^(?:[0-9a-f]{40})+$/, "must be 40-hex git blob ids back to back"),
		sizes: z
			.string()
			.max(PUT_BATCH_MAX_OBJECTS * 11)
			.regex(/^\d{1,10}(?:,\d{1,10})*$/, "must be sizes in bytes separated by commas"),
		data: z.string(),
	})
	.refine((batch) => batch.ids.length === 40 * (batch.sizes.split(",", PUT_BATCH_MAX_OBJECTS + 1).length), { message: "must give one size per id", path: ["sizes"] })
	.transform(({ ids, sizes, data }) => ({ objects: unpackObjects(ids, sizes), data }));

/** The wire's shape of a batch of `objects`: what the client sends. */
export function packObjects(objects: readonly { id: string; size: number }[], data: string): z.input<typeof packedObjects> {
	let ids = "";
	let sizes = "";
	for (const { id, size } of objects) {
		ids += id;
		sizes += sizes === "" ? String(size) : `,${size}`;
	}
	return { ids, sizes, data };
}

function unpackObjects(ids: string, sizes: string): { id: string; size: number }[] {
	return sizes.split(",").map((size, index) => ({ id: ids.slice(index * 40, index * 40 + 40), size: Number(size) }));
}
