import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { type AcmeSettings, acmeSettings, DeployError, letsEncryptDirectory } from "../protocol/index.js";

interface AcmeFlags {
	tls: boolean;
	acmeCa?: string | undefined;
	acmeCaRoot?: string | undefined;
	acmeEmail?: string | undefined;
}

/**
 * The ACME settings `servers add` sends to the agent, from its flags: undefined for
 * Let's Encrypt without an email (the agent's default). The `--acme-ca-root` file is
 * read here and its PEM sent, because the proxy on the server needs it, not this machine.
 */
export async function acmeSetup(flags: AcmeFlags): Promise<AcmeSettings | undefined> {
	const given = [flags.acmeCa && "--acme-ca", flags.acmeCaRoot && "--acme-ca-root", flags.acmeEmail && "--acme-email"].filter(Boolean);
	if (!flags.tls) {
		if (given.length > 0) throw new DeployError("BAD_ARGUMENT", `${given.join(", ")} cannot be used with --no-tls.`, "Leave out --no-tls to get certificates, or the ACME flags to serve plain HTTP.");
		return undefined;
	}
	if (flags.acmeCaRoot && !flags.acmeCa) {
		throw new DeployError("BAD_ARGUMENT", "--acme-ca-root needs --acme-ca.", "Give the directory URL of the CA whose endpoint that root signs, e.g. --acme-ca https://ca.internal/acme/directory.");
	}
	if (!flags.acmeCa && !flags.acmeEmail) return undefined;
	const caRoot = flags.acmeCaRoot ? await readPem(flags.acmeCaRoot) : undefined;
	const parsed = acmeSettings.safeParse({
		directory: flags.acmeCa ?? letsEncryptDirectory,
		...(caRoot ? { caRoot } : {}),
		...(flags.acmeEmail ? { email: flags.acmeEmail } : {}),
	});
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		throw new DeployError("BAD_ARGUMENT", `${issue.path.join("/")}: ${issue.message}`, "See `deploy servers add --help`.");
	}
	return parsed.data;
}

/** The file's certificates, checked to be PEM that node:crypto can parse. */
async function readPem(file: string): Promise<string> {
	let text: string;
	try {
		text = await readFile(file, "utf8");
	} catch (error) {
		throw new DeployError("BAD_ARGUMENT", `Cannot read --acme-ca-root ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, "Give the path of a PEM certificate file on this machine.");
	}
	try {
		if (!text.includes("-----BEGIN CERTIFICATE-----")) throw new Error("no PEM certificate");
		new X509Certificate(text);
	} catch {
		throw new DeployError("BAD_ARGUMENT", `--acme-ca-root ${file} is not a PEM certificate.`, "Give a file that starts with -----BEGIN CERTIFICATE-----.");
	}
	return text.trim();
}
