/** The search space: distributions (ppf/cdf), nesting, random draws and grid enumeration. */
export { createRandom, deriveSeed, Sfc32Random } from './random.js';
export {
  ppf, cdf, categoricalIndex, quantize, roundHalfEven, type LeafParamSpec,
} from './distributions.js';
export { flattenParams, nestValues, getPath, NESTING_DELIMITER, type FlatParam } from './flatten.js';
export { sampleConfig } from './sample.js';
export {
  GRIDABLE, gridValues, gridDimension, gridDisallowedMessage, type GridDimension,
} from './grid-dimension.js';
export { Grid, checkGridParams, type GridAxis } from './grid.js';
export { valueKey, pyEquals, cloneValue, compareCodePoints } from './value-key.js';
export {
  normalCdf, normalPpf, normalPdf, logGamma, regularizedBeta, inverseRegularizedBeta,
} from './special-functions.js';
