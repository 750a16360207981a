import { doctorText } from "../output/scaling.js";
import { EXIT, runCommand } from "../output/run.js";

interface DoctorOptions {
	json?: boolean;
	server?: string;
}

/** `deploy doctor [-s server]`: a line per check; exit 1 when one fails, so a script or CI step notices. */
export async function doctorCommand(options: DoctorOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const report = await context.api.doctor.run(options.server ? { server: options.server } : {}, { signal: context.signal });
		context.print(report, () => doctorText(report));
		if (!report.ok) process.exitCode = EXIT.failed;
	});
}
