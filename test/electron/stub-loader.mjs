// Resolves the `electron` module to the stub: no Electron binary can run here. The
// stub is resolved by the next hook (tsx's), so it is loaded as TypeScript.
export async function resolve(specifier, context, next) {
	if (specifier === "electron") return next("./electron-stub.ts", { ...context, parentURL: import.meta.url });
	return next(specifier, context);
}
