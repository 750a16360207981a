// The one declaration of "which app, on which server": the `{dir, app, server}` that
// every app method of the contract takes. Zod and core/protocol only: the Electron
// preload bundles this file.
import * as z from "zod";
import { appName } from "../protocol/names.js";

/** A server as `deploy servers add` named it; the length is what any store row holds. */
export const serverName = z.string().min(1, "must not be empty").max(200, "must be at most 200 characters");

/** The project folder (its deploy.yaml names the app), --app, --server: each optional, resolved in core/deploy/target.ts. */
export const appTarget = { dir: z.string().min(1).optional(), app: appName.optional(), server: serverName.optional() };

/** The hint of a bad target: what a person can change. */
export const TARGET_HINT = "Run it in the app's folder, or pass --app NAME.";
