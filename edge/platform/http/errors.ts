import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ApiErrorBody } from "../../../types/wire";

/** One problem with a request, e.g. a field that failed validation. */
export interface ErrorDetail {
  path?: string;
  message: string;
}

/**
 * An error the API reports to the caller as `{status, message, errors}`.
 * Throw it anywhere in a route; the app's error handler renders it.
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly errors: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Renders an error body with the given status. */
export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  message: string,
  errors: ErrorDetail[] = [],
): Response {
  const body: ApiErrorBody = { status, message, errors };
  return c.json(body, status);
}

export const badRequest = (message: string, errors?: ErrorDetail[]) => new ApiError(400, message, errors);
export const unauthorized = (message = "a valid API token is required") => new ApiError(401, message);
export const forbidden = (message: string) => new ApiError(403, message);
export const notFound = (message: string) => new ApiError(404, message);
export const conflict = (message: string, errors?: ErrorDetail[]) => new ApiError(409, message, errors);
export const tooLarge = (message: string) => new ApiError(413, message);
export const unsupportedType = (message: string) => new ApiError(415, message);
export const unprocessable = (message: string, errors?: ErrorDetail[]) => new ApiError(422, message, errors);
