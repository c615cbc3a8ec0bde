import type { NextFunction, Request, Response } from 'express';
import { SeededRandom } from '../random';

/** A path that always fails, for testing a client's error handling. */
export interface FailPathRule {
  /** A path such as `/api/v4/runners/7`, where `*` matches any characters except `/` and `**` any characters. */
  pattern: string;
  /** HTTP status to return; 500 by default. */
  status: number;
}

export interface TrafficOptions {
  /** Requests per second allowed per token (or per client address without a token); 0 turns the limit off. */
  rateLimit: number;
  /** Share of API requests, from 0 to 1, that get an injected 429. */
  fault429: number;
  /** Share of API requests, from 0 to 1, that get an injected 500. */
  fault500: number;
  /** Delay added before each API response, in milliseconds. */
  latencyMs: number;
  failPaths: FailPathRule[];
}

/** Distinct routes counted separately; requests to further unknown paths count as `(other)`. */
const MAX_ROUTE_KEYS = 500;

/** Request counts for benchmarks, reset with POST /-/simulator/reset-stats. */
export class TrafficStats {
  total = 0;
  readonly byRoute = new Map<string, number>();
  readonly byStatus = new Map<number, number>();
  injected429 = 0;
  injected500 = 0;
  rateLimited = 0;
  failedPaths = 0;
  since = Date.now();

  countRoute(key: string) {
    const counted =
      this.byRoute.has(key) || this.byRoute.size < MAX_ROUTE_KEYS
        ? key
        : '(other)';
    this.byRoute.set(counted, (this.byRoute.get(counted) ?? 0) + 1);
  }

  reset() {
    this.total = 0;
    this.byRoute.clear();
    this.byStatus.clear();
    this.injected429 = 0;
    this.injected500 = 0;
    this.rateLimited = 0;
    this.failedPaths = 0;
    this.since = Date.now();
  }

  toJSON() {
    return {
      since: new Date(this.since).toISOString(),
      total: this.total,
      routes: Object.fromEntries([...this.byRoute.entries()].sort()),
      statuses: Object.fromEntries(this.byStatus),
      injected_429: this.injected429,
      injected_500: this.injected500,
      rate_limited: this.rateLimited,
      failed_paths: this.failedPaths,
    };
  }
}

function patternToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    if (pattern[i] === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i += 1;
    } else if (pattern[i] === '*') {
      source += '[^/]*';
    } else {
      source += pattern[i].replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/** Reads the token from PRIVATE-TOKEN or `Authorization: Bearer`. */
export function requestToken(req: Request): string | undefined {
  const privateToken = req.get('private-token');
  if (privateToken) return privateToken;
  const authorization = req.get('authorization');
  const match = authorization?.match(/^Bearer\s+(.+)$/i);
  return match?.[1];
}

const RATE_WINDOW_MS = 1000;
const MAX_RATE_WINDOWS = 1000;

/**
 * Middleware for /api/v4 that adds latency, rate limiting and injected
 * faults. Faults come from a PRNG seeded with the simulator's seed, so the
 * same sequence of requests gets the same faults.
 */
export function createTrafficMiddleware(
  options: TrafficOptions,
  stats: TrafficStats,
  random: SeededRandom,
) {
  const failRules = options.failPaths.map(rule => ({
    ...rule,
    regexp: patternToRegExp(rule.pattern),
  }));
  const windows = new Map<string, { start: number; count: number }>();

  const sendRetryLater = (
    res: Response,
    limit: number,
    observed: number,
    resetAt: number,
  ) => {
    const retryAfter = Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
    res.setHeader('Retry-After', String(retryAfter));
    res.setHeader('RateLimit-Name', 'throttle_authenticated_api');
    res.setHeader('RateLimit-Limit', String(limit));
    res.setHeader('RateLimit-Observed', String(observed));
    res.setHeader('RateLimit-Remaining', '0');
    res.setHeader('RateLimit-Reset', String(Math.ceil(resetAt / 1000)));
    res.setHeader('RateLimit-ResetTime', new Date(resetAt).toUTCString());
    res.status(429).type('text/plain').send('Retry later\n');
  };

  return (req: Request, res: Response, next: NextFunction) => {
    const path = req.originalUrl.split('?')[0];
    const proceed = () => {
      const rule = failRules.find(candidate => candidate.regexp.test(path));
      if (rule) {
        stats.failedPaths += 1;
        res
          .status(rule.status)
          .json({ message: `${rule.status} Simulated failure of ${path}` });
        return;
      }
      if (options.rateLimit > 0) {
        const key = requestToken(req) ?? `address:${req.ip}`;
        const now = Date.now();
        let window = windows.get(key);
        if (!window || now - window.start >= RATE_WINDOW_MS) {
          if (windows.size >= MAX_RATE_WINDOWS) {
            // Clients that send a new made-up token on every request would
            // otherwise grow this map without bound.
            for (const [oldKey, old] of windows) {
              if (now - old.start >= RATE_WINDOW_MS) windows.delete(oldKey);
            }
          }
          window = { start: now, count: 0 };
          windows.set(key, window);
        }
        window.count += 1;
        if (window.count > options.rateLimit) {
          stats.rateLimited += 1;
          sendRetryLater(
            res,
            options.rateLimit,
            window.count,
            window.start + RATE_WINDOW_MS,
          );
          return;
        }
        res.setHeader('RateLimit-Limit', String(options.rateLimit));
        res.setHeader('RateLimit-Observed', String(window.count));
        res.setHeader(
          'RateLimit-Remaining',
          String(Math.max(0, options.rateLimit - window.count)),
        );
      }
      const roll = random.next();
      if (roll < options.fault429) {
        stats.injected429 += 1;
        sendRetryLater(
          res,
          options.rateLimit || 1,
          1,
          Date.now() + RATE_WINDOW_MS,
        );
        return;
      }
      if (roll < options.fault429 + options.fault500) {
        stats.injected500 += 1;
        res.status(500).json({ message: '500 Internal Server Error' });
        return;
      }
      next();
    };
    if (options.latencyMs > 0) {
      setTimeout(proceed, options.latencyMs);
    } else {
      proceed();
    }
  };
}
