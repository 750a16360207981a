import { Menu, nativeImage, Tray } from "electron";

/** A 32x32 blue upward triangle on transparent: it reads on light and dark tray areas alike. */
const ICON_PNG = "iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAcUlEQVR4nO3UuxEAIAhEQZuxMsu3CE2M/AIDA6jBxW+jCzHloDnV+AdcAShtbwJKt7cAfZyM4IyTEO4Apzga4QoAjaMQbgDYOBjhAkCNgxDS8SPCNIArvkWYBXDHlwiTAKn4FGEOIB0fENArFtsHqAMqRX8HLjQMKqEAAAAASUVORK5CYII=";

export interface StatusTray {
	/** Shows the last deploy's outcome in the tooltip and the menu. */
	setStatus(status: string | null): void;
	destroy(): void;
}

/** The tray icon: the last deploy's status at a glance, and a way back to the window. */
export function createStatusTray(showWindow: () => void): StatusTray {
	const icon = nativeImage.createFromDataURL(`data:image/png;base64,${ICON_PNG}`).resize({ width: 16, height: 16 });
	const tray = new Tray(icon);
	const render = (status: string | null) => {
		tray.setToolTip(`Deploy: ${status ?? "no deploy yet"}`);
		tray.setContextMenu(
			Menu.buildFromTemplate([
				{ label: status ?? "No deploy yet", enabled: false },
				{ type: "separator" },
				{ label: "Open Deploy", click: showWindow },
				{ role: "quit" },
			]),
		);
	};
	tray.on("click", showWindow);
	render(null);
	return { setStatus: render, destroy: () => tray.destroy() };
}
