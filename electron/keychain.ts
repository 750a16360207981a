// The desktop seals its copy of env values with a key the OS keychain protects
// (safeStorage: Keychain, DPAPI, libsecret), not a plain key file. Namespace import:
// the test stub of the electron module has no safeStorage, and then nothing changes.
import * as electron from "electron";
import { join } from "node:path";
import { keyFileSource, safeStorageKeySource, setKeySource } from "../core/env/key-source.js";
import { deployHome } from "../core/paths.js";

/** Call once the app is ready: safeStorage works only from then on. */
export function keepSecretsKeyInKeychain(): void {
	const storage = (electron as { safeStorage?: Parameters<typeof safeStorageKeySource>[0] }).safeStorage;
	if (!storage) return;
	const home = deployHome();
	setKeySource(safeStorageKeySource(storage, join(home, "secrets.key.keychain"), keyFileSource(join(home, "secrets.key"))));
}
