import { z } from 'zod';

/**
 * The `args` of each pruner, with Optuna's argument names, defaults and checks (the checks give
 * Optuna's own messages). Strict: a misspelt argument is an error, never silently dropped.
 */

/** A boxed float from the sweep config (`25.0` is kept as a float object) is a plain number here. */
function unboxed(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const inner = (value as { valueOf(): unknown }).valueOf();
    if (typeof inner === 'number') return inner;
  }
  return value;
}

const shown = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

function number(required = 'is required (a number)') {
  return z.preprocess(
    unboxed,
    z.number({ error: (issue) => (issue.input === undefined ? required : `must be a number, but got ${shown(issue.input)}`) }),
  );
}

function wholeNumber() {
  return z.preprocess(
    unboxed,
    z.number({ error: (issue) => `must be a whole number, but got ${shown(issue.input)}` }).int({
      error: (issue) => `must be a whole number, but got ${shown(issue.input)}`,
    }),
  );
}

/** A whole number with Optuna's lower-bound check and message. */
function count(min: number, message: (v: number) => string) {
  return wholeNumber().refine((v) => v >= min, { error: (issue) => message(issue.input as number) });
}

const startup = () => count(0, (v) => `Number of startup trials cannot be negative but got ${v}.`);
const warmup = () => count(0, (v) => `Number of warmup steps cannot be negative but got ${v}.`);
const interval = () => count(1, (v) => `Pruning interval steps must be at least 1 but got ${v}.`);
const minTrials = () => count(1, (v) => `Number of trials for pruning must be at least 1 but got ${v}.`);

/** `MedianPruner(n_startup_trials=5, n_warmup_steps=0, interval_steps=1, *, n_min_trials=1)`. */
export const MedianPrunerOptions = z.strictObject({
  /** Pruning is off until this many trials have completed. */
  n_startup_trials: startup().default(5),
  /** Pruning is off until the trial reaches this step (steps start at 0). */
  n_warmup_steps: warmup().default(0),
  /** Steps between pruning checks, counted from the warmup step. */
  interval_steps: interval().default(1),
  /** Fewest completed trials that must have reported at the step for the trial to be judged. */
  n_min_trials: minTrials().default(1),
});
export type MedianPrunerOptions = z.output<typeof MedianPrunerOptions>;

/** `PercentilePruner(percentile, n_startup_trials=5, n_warmup_steps=0, interval_steps=1, *, n_min_trials=1)`. */
export const PercentilePrunerOptions = MedianPrunerOptions.extend({
  /** Required: keep the trials in the top `percentile` percent at the step (25 keeps the best quarter). */
  percentile: number('is required: PercentilePruner has no default percentile (e.g. 25.0 keeps the best quarter)').refine((v) => v >= 0 && v <= 100, {
    error: (issue) => `Percentile must be between 0 and 100 inclusive but got ${issue.input}.`,
  }),
});
export type PercentilePrunerOptions = z.output<typeof PercentilePrunerOptions>;

const reductionFactor = () =>
  wholeNumber().refine((v) => v >= 2, {
    error: (issue) => `The value of \`reduction_factor\` is ${issue.input}, but must be \`reduction_factor >= 2\``,
  });
const bootstrapCount = () =>
  wholeNumber().refine((v) => v >= 0, {
    error: (issue) => `The value of \`bootstrap_count\` is ${issue.input}, but must be \`bootstrap_count >= 0\``,
  });
const minResourceInt = () =>
  wholeNumber().refine((v) => v >= 1, {
    error: (issue) => `The value of \`min_resource\` is ${issue.input}, but must be either \`min_resource >= 1\` or 'auto'`,
  });

/** `SuccessiveHalvingPruner(min_resource='auto', reduction_factor=4, min_early_stopping_rate=0, bootstrap_count=0)`. */
export const SuccessiveHalvingPrunerOptions = z
  .strictObject({
    /** Steps of the first rung; `'auto'`: the largest last step of the completed trials / 100 (at least 1). */
    min_resource: z
      .union([z.literal('auto'), minResourceInt()], {
        error: (issue) =>
          `The value of \`min_resource\` is ${shown(issue.input)}, but must be either \`min_resource\` >= 1 or 'auto'`,
      })
      .default('auto'),
    /** About 1/`reduction_factor` of the trials at a rung are promoted to the next. */
    reduction_factor: reductionFactor().default(4),
    /** The first rung is at `min_resource · reduction_factor^min_early_stopping_rate` steps. */
    min_early_stopping_rate: wholeNumber()
      .refine((v) => v >= 0, {
        error: (issue) =>
          `The value of \`min_early_stopping_rate\` is ${issue.input}, but must be \`min_early_stopping_rate >= 0\``,
      })
      .default(0),
    /** Fewest trials that must have completed a rung before any is promoted from it. */
    bootstrap_count: bootstrapCount().default(0),
  })
  .refine((o) => !(o.bootstrap_count > 0 && o.min_resource === 'auto'), {
    error: (issue) =>
      `bootstrap_count > 0 and min_resource == 'auto' are mutually incompatible, bootstrap_count is ${(issue.input as { bootstrap_count: number }).bootstrap_count}`,
    path: ['bootstrap_count'],
  });
export type SuccessiveHalvingPrunerOptions = z.output<typeof SuccessiveHalvingPrunerOptions>;

/** Optuna's `HyperbandPruner(min_resource=1, max_resource='auto', reduction_factor=3, bootstrap_count=0)`. */
export const HyperbandPrunerOptions = z
  .strictObject({
    /** Steps of the first rung of the most aggressive bracket. */
    min_resource: minResourceInt().default(1),
    /** The steps a full trial runs; `'auto'`: the largest last step of the completed trials + 1. */
    max_resource: z
      .union(
        [
          z.literal('auto'),
          wholeNumber().refine((v) => v >= 1, {
            error: (issue) => `The 'max_resource' should be a whole number >= 1 or 'auto'. But max_resource = ${issue.input}`,
          }),
        ],
        { error: (issue) => `The 'max_resource' should be integer or 'auto'. But max_resource = ${shown(issue.input)}` },
      )
      .default('auto'),
    reduction_factor: reductionFactor().default(3),
    bootstrap_count: bootstrapCount().default(0),
  })
  .refine((o) => !(o.bootstrap_count > 0 && o.max_resource === 'auto'), {
    error: (issue) =>
      `bootstrap_count > 0 and max_resource == 'auto' are mutually incompatible, bootstrap_count is ${(issue.input as { bootstrap_count: number }).bootstrap_count}`,
    path: ['bootstrap_count'],
  });
export type HyperbandPrunerOptions = z.output<typeof HyperbandPrunerOptions>;

/** A bound of ThresholdPruner: a number, or a string Python's `float()` reads (`"1e-3"`, `"inf"`). */
const bound = () =>
  z
    .preprocess(
      (v) => {
        const x = unboxed(v);
        if (typeof x !== 'string') return x;
        const t = x.trim().toLowerCase().replace(/^\+/, '');
        if (/^-?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
        if (t === 'nan' || t === '-nan') return Number.NaN;
        return /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t.replaceAll('_', '')) ? Number(t.replaceAll('_', '')) : x;
      },
      // Not z.number(): a bound may be inf or nan, as Python's float() allows.
      z.custom<number>((v) => typeof v === 'number', {
        error: (issue) => `must be a number (a float) or null, but got ${shown(issue.input)}`,
      }),
    )
    .nullable()
    .default(null);

/** `ThresholdPruner(lower=None, upper=None, n_warmup_steps=0, interval_steps=1)`. */
export const ThresholdPrunerOptions = z
  .strictObject({
    /** Prune a trial whose latest value is below this. */
    lower: bound(),
    /** Prune a trial whose latest value is above this. */
    upper: bound(),
    n_warmup_steps: warmup().default(0),
    interval_steps: interval().default(1),
  })
  .refine((o) => o.lower !== null || o.upper !== null, { error: 'Either lower or upper must be specified.' })
  .refine((o) => o.lower === null || o.upper === null || !(o.lower > o.upper), {
    error: 'lower should be smaller than upper.',
    path: ['lower'],
  });
export type ThresholdPrunerOptions = z.output<typeof ThresholdPrunerOptions>;

/** The Optuna class names a `{type, args}` pruner may name (PatientPruner's `wrapped_pruner`). */
export const OPTUNA_PRUNER_TYPES = [
  'MedianPruner',
  'PercentilePruner',
  'SuccessiveHalvingPruner',
  'HyperbandPruner',
  'ThresholdPruner',
  'PatientPruner',
  'NopPruner',
] as const;
export type OptunaPrunerType = (typeof OPTUNA_PRUNER_TYPES)[number];

/** NopPruner takes no arguments. */
export const NopPrunerOptions = z.strictObject({});

/** A validated `{type, args}`: `args` are the pruner's own validated options. */
export interface WrappedPrunerSpec {
  type: OptunaPrunerType;
  args: Record<string, unknown>;
}

/** `PatientPruner(wrapped_pruner, patience, min_delta=0.0)`; `wrapped_pruner` is `{type, args}` or null. */
export interface PatientPrunerOptions {
  wrapped_pruner: WrappedPrunerSpec | null;
  patience: number;
  min_delta: number;
}

function argsSchema(type: OptunaPrunerType): z.ZodType {
  switch (type) {
    case 'MedianPruner':
      return MedianPrunerOptions;
    case 'PercentilePruner':
      return PercentilePrunerOptions;
    case 'SuccessiveHalvingPruner':
      return SuccessiveHalvingPrunerOptions;
    case 'HyperbandPruner':
      return HyperbandPrunerOptions;
    case 'ThresholdPruner':
      return ThresholdPrunerOptions;
    case 'PatientPruner':
      return PatientPrunerOptions;
    case 'NopPruner':
      return NopPrunerOptions;
  }
}

const WrappedPruner = z
  .strictObject(
    {
      type: z.enum(OPTUNA_PRUNER_TYPES, {
        error: (issue) => `must be one of ${OPTUNA_PRUNER_TYPES.join(', ')}, but got ${shown(issue.input)}`,
      }),
      args: z.record(z.string(), z.unknown(), { error: "must be a mapping of the pruner's arguments" }).nullish(),
    },
    {
      error: (issue) =>
        issue.code !== 'invalid_type'
          ? undefined
          : issue.input === undefined
            ? 'is required: the {type, args} of the pruner to consult once the trial stops improving, or null'
            : `must be {type, args} (type one of ${OPTUNA_PRUNER_TYPES.join(', ')}) or null, but got ${shown(issue.input)}`,
    },
  )
  .transform((spec, ctx): WrappedPrunerSpec => {
    const parsed = argsSchema(spec.type).safeParse(spec.args ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: ['args', ...issue.path] } as never);
      return z.NEVER;
    }
    return { type: spec.type, args: parsed.data as Record<string, unknown> };
  });

export const PatientPrunerOptions: z.ZodType<PatientPrunerOptions> = z.strictObject({
  /** The pruner consulted once the trial has stopped improving; null prunes right away. Required. */
  wrapped_pruner: z.lazy(() => WrappedPruner.nullable()),
  /** Required: how many steps without improvement are tolerated. */
  patience: z
    .preprocess(
      unboxed,
      z
        .number({
          error: (issue) =>
            issue.input === undefined ? 'is required (a whole number >= 0)' : `must be a whole number, but got ${shown(issue.input)}`,
        })
        .int({ error: (issue) => `must be a whole number, but got ${shown(issue.input)}` }),
    )
    .refine((v) => v >= 0, { error: (issue) => `patience cannot be negative but got ${issue.input}.` }),
  /** How much better than before the patience window a value must be to count as improving. */
  min_delta: number()
    .refine((v) => v >= 0, { error: (issue) => `min_delta cannot be negative but got ${issue.input}.` })
    .default(0),
}) as unknown as z.ZodType<PatientPrunerOptions>;

/** The schema of each Optuna pruner's `args`, by class name. */
export function optionsSchemaFor(type: OptunaPrunerType): z.ZodType {
  return argsSchema(type);
}
