// Issue 16: a listing as a member sees it: items about apps they were not given are left
// out, in the answer (an array of items with `app`, or an object of such arrays) and in
// the events a call streams.

type Visible = (app: string) => boolean;

const shown = (item: unknown, visible: Visible) => {
	const app = (item as { app?: unknown } | null)?.app;
	return typeof app !== "string" || visible(app);
};

export function filterResult<T>(result: T, visible: Visible): T {
	if (Array.isArray(result)) return result.filter((item) => shown(item, visible)) as T;
	if (!result || typeof result !== "object") return result;
	return Object.fromEntries(Object.entries(result).map(([key, value]) => [key, Array.isArray(value) ? value.filter((item) => shown(item, visible)) : value])) as T;
}

export const eventShown = shown;
