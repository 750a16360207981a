/** Where the HTTPS API's routes start; its own module so the route files and the OpenAPI document share it without a cycle. */
export const API_BASE = "/api/v1";
