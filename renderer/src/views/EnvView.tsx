import { Empty } from "../components/Empty.js";
import { ErrorBox } from "../components/ErrorBox.js";
import { ConfigViewFrame } from "../components/ConfigViewFrame.js";
import { revealKey, useConfig } from "../stores/config.js";

/** The app's environment variables, masked; one value shown at a time, on a click. */
export function EnvView() {
	const { revealed, revealError, reveal, hide } = useConfig();
	return (
		<ConfigViewFrame title="Environment" subject="environment variables" editingIn="issue 6">
			{(config) =>
				config.env.length === 0 ? (
					<Empty>{config.name} sets no environment variables (deploy.yaml's env:).</Empty>
				) : (
					<>
						{revealError ? <ErrorBox error={revealError} title="The value was not revealed" /> : null}
						<div className="table-scroll">
							<table aria-label="Environment variables">
								<thead>
									<tr>
										<th scope="col">Name</th>
										<th scope="col">Value</th>
										<th scope="col">
											<span className="visually-hidden">Action</span>
										</th>
									</tr>
								</thead>
								<tbody>
									{config.env.map(({ key, value: masked }) => {
										const clear = revealed[revealKey(config.name, key)];
										return (
											<tr key={key}>
												<th scope="row">
													<code>{key}</code>
												</th>
												<td>
													<code className={clear === undefined ? "masked" : "revealed"} data-testid={`env-${key}`}>
														{clear ?? masked}
													</code>
												</td>
												<td>
													{clear === undefined ? (
														<button type="button" onClick={() => reveal(config.name, key)} aria-label={`Reveal ${key}`}>
															Reveal
														</button>
													) : (
														<button type="button" onClick={() => hide(config.name, key)} aria-label={`Hide ${key}`}>
															Hide
														</button>
													)}
												</td>
											</tr>
										);
									})}
								</tbody>
							</table>
						</div>
					</>
				)
			}
		</ConfigViewFrame>
	);
}
