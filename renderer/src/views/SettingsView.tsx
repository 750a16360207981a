import { type Theme, useUi } from "../stores/ui.js";

const themes: { value: Theme; label: string }[] = [
	{ value: "system", label: "Like the system" },
	{ value: "light", label: "Light" },
	{ value: "dark", label: "Dark" },
];

export function SettingsView() {
	const { theme, setTheme } = useUi();
	return (
		<>
			<header className="view-header">
				<h1>Settings</h1>
			</header>
			<fieldset className="card">
				<legend>Theme</legend>
				{themes.map((option) => (
					<label key={option.value} className="radio">
						<input type="radio" name="theme" value={option.value} checked={theme === option.value} onChange={() => setTheme(option.value)} />
						{option.label}
					</label>
				))}
			</fieldset>
		</>
	);
}
