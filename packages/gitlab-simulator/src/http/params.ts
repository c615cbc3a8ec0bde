import type { Request } from 'express';
import { GitLabApiError } from '../repository/repositories';

/** Creates a 400 error with GitLab's parameter error body, `{"error": "..."}`. */
export function invalidParam(message: string): GitLabApiError {
  return new GitLabApiError(400, { error: message });
}

/** Reads a parameter from the query string or, for POST and PUT, the body. */
function raw(req: Request, name: string): unknown {
  const fromBody =
    req.body && typeof req.body === 'object'
      ? (req.body as Record<string, unknown>)[name]
      : undefined;
  return fromBody !== undefined
    ? fromBody
    : (req.query as Record<string, unknown>)[name];
}

export function optionalString(req: Request, name: string): string | undefined {
  const value = raw(req, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (typeof value !== 'string') throw invalidParam(`${name} is invalid`);
  return value;
}

export function requiredString(req: Request, name: string): string {
  const value = optionalString(req, name);
  if (value === undefined || value === '')
    throw invalidParam(`${name} is missing`);
  return value;
}

export function optionalInt(
  req: Request,
  name: string,
  min?: number,
  max?: number,
): number | undefined {
  const value = raw(req, name);
  if (value === undefined || value === null || value === '') return undefined;
  const text = String(value);
  if (!/^-?\d+$/.test(text)) throw invalidParam(`${name} is invalid`);
  const parsed = Number(text);
  if (
    (min !== undefined && parsed < min) ||
    (max !== undefined && parsed > max)
  ) {
    throw invalidParam(`${name} does not have a valid value`);
  }
  return parsed;
}

export function optionalBool(req: Request, name: string): boolean | undefined {
  const value = raw(req, name);
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true' || value === '1' || value === 1)
    return true;
  if (value === false || value === 'false' || value === '0' || value === 0)
    return false;
  throw invalidParam(`${name} is invalid`);
}

export function optionalEnum<T extends string>(
  req: Request,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = optionalString(req, name);
  if (value === undefined || value === '') return undefined;
  if (!allowed.includes(value as T)) {
    throw invalidParam(`${name} does not have a valid value`);
  }
  return value as T;
}

/** Reads a list given as `name[]=a&name[]=b`, as a JSON array, or as `a,b`. */
export function optionalList(req: Request, name: string): string[] | undefined {
  const value = raw(req, name) ?? raw(req, `${name}[]`);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object' && !Array.isArray(value)) {
    throw invalidParam(
      `${name} is invalid: give a list such as ${name}[]=a&${name}[]=b or ${name}=a,b`,
    );
  }
  const items = Array.isArray(value) ? value : String(value).split(',');
  if (
    items.some(item => typeof item !== 'string' && typeof item !== 'number')
  ) {
    throw invalidParam(`${name} is invalid`);
  }
  return items.map(item => String(item).trim()).filter(item => item !== '');
}

/** Reads a numeric path parameter, or throws 404 with `notFound` as the message. */
export function pathId(value: string, notFound: string): number {
  if (!/^\d+$/.test(value)) {
    throw new GitLabApiError(404, { message: notFound });
  }
  return Number(value);
}
