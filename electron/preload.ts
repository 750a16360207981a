// Runs sandboxed, before the renderer: it can reach only what contextBridge exposes.
// electron-vite bundles it with zod (the allow-list comes from core/api/contract.ts).
import { contextBridge, ipcRenderer, webUtils } from "electron";
import { createDeployBridge } from "./bridge.js";

contextBridge.exposeInMainWorld("deployBridge", createDeployBridge(ipcRenderer, webUtils));
