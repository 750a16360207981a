/**
 * Issue 14: HTTP to a TLS host redirects to HTTPS only once the proxy holds a valid
 * certificate for it. Until then HTTP serves the app: a redirect to an HTTPS that has
 * no certificate fails in every client (`tlsv1 alert internal error`), so it would
 * turn a working URL into a broken one.
 *
 * Neither proxy tells the agent when it obtains a certificate (Caddy's events need a
 * plugin to reach us, Traefik has none), so a driver renders with what it holds at that
 * moment and, while a rendered TLS host still waits, looks again every few seconds and
 * renders again once that changes. Reads of the certificates (`domains ls`, `domains
 * add` waiting for one) sync first, so whoever is told "valid" finds the redirect there.
 */
export class CertifiedHosts {
	#rendered: ReadonlySet<string> = new Set();
	#waiting = false;
	#stopped = false;
	#timer: NodeJS.Timeout | undefined;

	/**
	 * @param read the hosts among those given whose certificate the proxy holds, unexpired
	 * @param sync renders again when `changed` says so (the driver's, under its serial lock)
	 */
	constructor(
		private readonly read: (tlsHosts: readonly string[]) => Promise<ReadonlySet<string>>,
		private readonly sync: () => Promise<void>,
		private readonly intervalMs = 2000,
	) {}

	/** What a render of `tlsHosts` redirects now; remembered, and watched while some host still waits. */
	async forRender(tlsHosts: readonly string[]): Promise<ReadonlySet<string>> {
		const certified = await this.read(tlsHosts);
		this.#rendered = certified;
		this.#waiting = tlsHosts.some((host) => !certified.has(host));
		this.#stopped = false;
		this.#arm();
		return certified;
	}

	/** Whether the proxy holds certificates other than those the last render redirected for. */
	async changed(tlsHosts: readonly string[]): Promise<boolean> {
		const now = await this.read(tlsHosts);
		return now.size !== this.#rendered.size || [...now].some((host) => !this.#rendered.has(host));
	}

	/** No more looking (the driver stopped, or was replaced by one for a new setup). */
	stop(): void {
		this.#stopped = true;
		clearTimeout(this.#timer);
		this.#timer = undefined;
	}

	#arm(): void {
		if (!this.#waiting || this.#stopped || this.#timer) return;
		this.#timer = setTimeout(() => {
			this.#timer = undefined;
			if (this.#stopped) return;
			void this.sync()
				.catch(() => undefined)
				.finally(() => this.#arm());
		}, this.intervalMs);
		// The daemon's life is not held up by a look that can wait.
		this.#timer.unref();
	}
}

/** The hosts of `held` whose certificate has not expired: the ones HTTP may redirect. */
export function unexpired(held: ReadonlyMap<string, { notAfter: Date }>, now = new Date()): Set<string> {
	return new Set([...held].filter(([, certificate]) => certificate.notAfter.getTime() > now.getTime()).map(([host]) => host));
}
