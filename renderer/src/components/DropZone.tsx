import { useEffect, useState } from "react";
import { useDrop } from "../stores/drop.js";

/** The path of a dropped folder: only the desktop app's preload can tell it; "" in a browser. */
function pathOf(file: File): string {
	return window.deployBridge?.pathForFile(file) ?? "";
}

const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes("Files") ?? false;

/** The whole window takes a dropped folder: linked, then deployed (see stores/drop.ts). */
export function DropZone() {
	const { message, dropped, dismiss } = useDrop();
	const [over, setOver] = useState(false);

	useEffect(() => {
		// Counted, because dragenter/dragleave fire for every child element crossed.
		let depth = 0;
		const enter = (event: DragEvent) => {
			if (!carriesFiles(event)) return;
			depth++;
			setOver(true);
		};
		const leave = () => {
			depth = Math.max(0, depth - 1);
			if (depth === 0) setOver(false);
		};
		const overWindow = (event: DragEvent) => {
			if (!carriesFiles(event)) return;
			// Without this the browser would open the dropped file in place of the app.
			event.preventDefault();
			if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
		};
		const drop = (event: DragEvent) => {
			if (!carriesFiles(event)) return;
			event.preventDefault();
			depth = 0;
			setOver(false);
			const file = event.dataTransfer?.files[0];
			void dropped(file ? pathOf(file) : "");
		};
		window.addEventListener("dragenter", enter);
		window.addEventListener("dragleave", leave);
		window.addEventListener("dragover", overWindow);
		window.addEventListener("drop", drop);
		return () => {
			window.removeEventListener("dragenter", enter);
			window.removeEventListener("dragleave", leave);
			window.removeEventListener("dragover", overWindow);
			window.removeEventListener("drop", drop);
		};
	}, [dropped]);

	return (
		<>
			{over ? (
				<div className="drop-overlay" aria-hidden="true">
					Drop a project folder to deploy it
				</div>
			) : null}
			{message ? (
				<div className={`drop-message tone-${message.tone}`} role={message.tone === "error" ? "alert" : "status"}>
					<p>{message.text}</p>
					<button type="button" className="ghost" onClick={dismiss}>
						Dismiss
					</button>
				</div>
			) : null}
		</>
	);
}
