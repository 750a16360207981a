// Issue 18: which repository URLs a hook may fetch from. The URL is shown by `deploy hooks
// ls`, written to the audit log and quoted in fetch errors, so one carrying a token is refused.
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { repositoryUrl } from "../../../core/protocol/hooks.js";

describe("repositoryUrl", () => {
	test("https, git and ssh URLs and scp-like addresses are accepted", () => {
		for (const url of ["https://github.com/acme/shop.git", "git://git.example.com/shop.git", "ssh://git@gitea.example.com:2222/acme/shop.git", "git@github.com:acme/shop.git"]) {
			assert.equal(repositoryUrl.safeParse(url).success, true, url);
		}
	});

	test("a URL with a token or password is refused, saying to use the SSH URL", () => {
		for (const url of ["https://x-access-token:ghp_secret@github.com/acme/shop.git", "https://glpat-secret@gitlab.com/acme/shop.git", "ssh://git:secret@gitea.example.com/acme/shop.git"]) {
			const parsed = repositoryUrl.safeParse(url);
			assert.equal(parsed.success, false, url);
			assert.match(parsed.error?.issues[0]?.message ?? "", /credentials.*SSH URL/);
		}
	});

	test("local paths and options are refused", () => {
		for (const url of ["/srv/repo.git", "file:///srv/repo.git", "--upload-pack=touch /tmp/x"]) assert.equal(repositoryUrl.safeParse(url).success, false, url);
	});
});
