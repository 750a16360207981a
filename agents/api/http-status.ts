// Issue 17: the HTTP status of an error of the HTTPS API. The envelope's `code` (the
// same as the CLI's) is the real answer; the status is its class.
import type { ErrorInfo } from "../../core/protocol/errors.js";

const STATUS: Record<string, number> = {
	API_KEY_MISSING: 401,
	API_KEY_INVALID: 401,
	API_KEY_EXPIRED: 401,
	API_KEY_REVOKED: 401,
	// Issue 17, item 3: logins and their tokens.
	LOGIN_FAILED: 401,
	TOKEN_MISSING: 401,
	TOKEN_EXPIRED: 401,
	TOKEN_INVALID: 401,
	TOKEN_REVOKED: 401,
	REFRESH_MISSING: 401,
	REFRESH_REUSED: 401,
	SESSION_ENDED: 401,
	INVITE_INVALID: 401,
	REQUEST_HEADER_MISSING: 403,
	LOGIN_RATE_LIMITED: 429,
	PERMISSION_DENIED: 403,
	NOT_OVER_HTTP: 403,
	UNKNOWN_METHOD: 404,
	NOT_FOUND: 404,
	APP_UNKNOWN: 404,
	UNKNOWN_APP: 404,
	NOT_DEPLOYED: 404,
	DEPLOYMENT_UNKNOWN: 404,
	UNKNOWN_DEPLOYMENT: 404,
	DOMAIN_UNKNOWN: 404,
	TEAM_UNKNOWN: 404,
	MEMBER_UNKNOWN: 404,
	API_KEY_UNKNOWN: 404,
	METHOD_NOT_ALLOWED: 405,
	API_KEY_EXISTS: 409,
	TEAM_EXISTS: 409,
	MEMBER_EXISTS: 409,
	HOST_IN_USE: 409,
	DEPLOY_IN_PROGRESS: 409,
	BODY_TOO_LARGE: 413,
	// Issue 17, item 5: a large file's chunks (objects.write over HTTPS).
	OBJECT_TOO_LARGE: 413,
	OBJECT_CORRUPT: 400,
	UPLOAD_ABANDONED: 410,
	UNSUPPORTED_MEDIA_TYPE: 415,
};

/** Bad input of any kind (the schema, JSON, a manifest) is 400; a failed operation or a bug 500. */
const BAD_INPUT = /^(INVALID_PARAMS|BAD_ARGUMENT|BAD_REQUEST|BAD_JSON|MANIFEST_INVALID|INVALID_SCALE|BAD_PUBLIC_KEY)$/;

export function httpStatusOf(error: ErrorInfo): number {
	return STATUS[error.code] ?? (BAD_INPUT.test(error.code) ? 400 : 500);
}
