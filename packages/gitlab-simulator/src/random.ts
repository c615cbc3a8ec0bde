import { xoroshiro128plus } from 'pure-rand';
import type { RandomGenerator } from 'pure-rand';

/** Hashes a string to an unsigned 32-bit integer with FNV-1a. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const WARM_UP_DRAWS = 16;

/** Scrambles the bits of a 32-bit integer (the MurmurHash3 finalizer). */
function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A seeded pseudo-random stream (xoroshiro128+ from pure-rand).
 *
 * Independent streams come from `derive(label)`, so the values drawn for one
 * project or runner do not depend on how many values other parts of the seed
 * drew before it.
 */
export class SeededRandom {
  private readonly generator: RandomGenerator;

  constructor(readonly seed: number) {
    this.generator = xoroshiro128plus(mix32(seed) | 0);
    // Nearby seeds give correlated first outputs; drawing a few decorrelates them.
    for (let i = 0; i < WARM_UP_DRAWS; i += 1) {
      this.generator.unsafeNext();
    }
  }

  /** Creates the independent stream named `label` under the same seed. */
  derive(label: string): SeededRandom {
    return new SeededRandom(hashString(`${this.seed}:${label}`));
  }

  /** Returns a float in [0, 1). */
  next(): number {
    return (this.generator.unsafeNext() >>> 0) / 0x100000000;
  }

  /** Returns an integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Returns a float in [min, max). */
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** Returns true with the given probability. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks an index with probability proportional to its weight. */
  weightedIndex(weights: readonly number[]): number {
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    let target = this.next() * total;
    for (let i = 0; i < weights.length; i += 1) {
      target -= weights[i];
      if (target < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /** Returns `length` lowercase hexadecimal characters. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) {
      out += (this.generator.unsafeNext() >>> 0).toString(16).padStart(8, '0');
    }
    return out.slice(0, length);
  }

  /** Returns `length` characters from [A-Za-z0-9_-], as in GitLab tokens. */
  token(length: number): string {
    const alphabet =
      'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
    let out = '';
    for (let i = 0; i < length; i += 1) {
      out += alphabet[Math.floor(this.next() * alphabet.length)];
    }
    return out;
  }

  /** Returns a sample of an exponential distribution with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}
