/** A source of uniform numbers in [0, 1); seedable so that proposals can be reproduced. */
export interface Random {
  /** A uniform number in [0, 1). */
  next(): number;
}
