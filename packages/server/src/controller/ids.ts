import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A W&B-style id: 8 characters from [a-z0-9] (36⁸ ≈ 2.8·10¹² ids). */
export function newId(length = 8): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export const ID_PATTERN = /^[a-z0-9]{8}$/;
