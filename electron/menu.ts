import { Menu, type MenuItemConstructorOptions } from "electron";

/** The standard menus by role, and the last deploy's outcome as a status line. */
export function setAppMenu(status: string | null): void {
	const template: MenuItemConstructorOptions[] = [
		...(process.platform === "darwin" ? [{ role: "appMenu" as const }] : []),
		{ role: "fileMenu" },
		{ role: "editMenu" },
		{ role: "viewMenu" },
		{ role: "windowMenu" },
		{ label: "Status", submenu: [{ label: status ?? "No deploy yet", enabled: false }] },
	];
	Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
