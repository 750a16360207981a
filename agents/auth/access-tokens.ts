// Issue 17, item 3: access tokens, JWTs (jose) valid 24 hours, signed with the current
// key of signing-keys.ts and naming it in `kid`. The token says who (`sub`) and which
// login it came from (`sid`, the refresh family); whether it still counts (the member,
// their "valid after", the family) is checked by logins-service.ts on each request.
import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from "jose";
import { DeployError } from "../../core/protocol/errors.js";
import { memberId } from "../../core/protocol/team.js";
import { currentSigningKey, signingKeyById } from "./signing-keys.js";

export const ACCESS_LIFETIME_MS = 24 * 3_600_000;
const AUDIENCE = "deploy-api";
const ALGORITHM = "HS256";

export interface AccessClaims {
	member: string;
	family: string;
	/** When it was issued, in ms (whole seconds: the JWT's `iat`). */
	issuedAt: number;
}

export async function issueAccessToken(homeRoot: string, member: string, family: string, now: number): Promise<{ token: string; expiresAt: string }> {
	const key = await currentSigningKey(homeRoot, now, ACCESS_LIFETIME_MS);
	const issuedAt = Math.floor(now / 1000);
	const expires = issuedAt + ACCESS_LIFETIME_MS / 1000;
	const token = await new SignJWT({ sid: family })
		.setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: "JWT" })
		.setSubject(member)
		.setAudience(AUDIENCE)
		.setIssuedAt(issuedAt)
		.setExpirationTime(expires)
		.sign(Buffer.from(key.secret, "base64url"));
	return { token, expiresAt: new Date(expires * 1000).toISOString() };
}

const invalid = () => new DeployError("TOKEN_INVALID", "The access token is not one this server issued.", "Log in again (POST /api/v1/auth/login), or refresh (POST /api/v1/auth/refresh).");

/** The claims of a token this server signed and that has not expired at `now`; TOKEN_EXPIRED or TOKEN_INVALID otherwise. */
export async function verifyAccessToken(homeRoot: string, token: string, now: number): Promise<AccessClaims> {
	let kid: unknown;
	try {
		kid = decodeProtectedHeader(token).kid;
	} catch {
		throw invalid();
	}
	const key = typeof kid === "string" ? await signingKeyById(homeRoot, kid) : null;
	if (!key) throw invalid();
	try {
		const { payload } = await jwtVerify(token, Buffer.from(key.secret, "base64url"), { algorithms: [ALGORITHM], audience: AUDIENCE, currentDate: new Date(now), requiredClaims: ["sub", "iat", "exp", "sid"] });
		const member = memberId.safeParse(payload.sub);
		if (!member.success || typeof payload.sid !== "string" || typeof payload.iat !== "number") throw invalid();
		return { member: member.data, family: payload.sid, issuedAt: payload.iat * 1000 };
	} catch (error) {
		if (error instanceof errors.JWTExpired) throw new DeployError("TOKEN_EXPIRED", "The access token has expired (they last 24 hours).", "Get a new one: POST /api/v1/auth/refresh with the refresh cookie, or log in again.");
		if (error instanceof DeployError) throw error;
		throw invalid();
	}
}
