import { z } from 'zod';
import { isRecord } from '../values.js';
import { PARAMETER_FORMS, PARAMETER_NAME, type ParameterForm } from './parameter-table.js';
import type { Distribution, ParamSpec, ParamSpecs } from './types.js';
import { mapping, shapeOf } from './value-schemas.js';

/*
 * The zod schemas of the strict validator's parameters, built from the zod-free table of W&B's 19
 * parameter definitions (`parameter-table.ts`): each definition becomes a strict mapping of its
 * fields, refined and filled by the table's own functions, and `ParameterSchema` their union in
 * W&B's order.
 */

export {
  DISTRIBUTION_NAMES, matchParameter, matchParameters, PARAMETER_NAME, toQ, type ParameterForm,
} from './parameter-table.js';

/** One parameter definition: the table's entry, with the zod schema of each key and of the whole. */
export interface ParameterDefinition extends ParameterForm {
  /** The zod schema of each key, to explain a failure key by key. */
  shape: Readonly<z.ZodRawShape>;
  schema: z.ZodType<ParamSpec>;
}

/** `parameters:` (top level or nested): a non-empty mapping of valid names to parameters. */
export const ParametersSchema: z.ZodType<ParamSpecs> = z.lazy(() =>
  z.custom<Record<string, unknown>>((v) => isRecord(v), { error: 'must be a mapping' })
    .pipe(
      z.record(
        z.string().regex(PARAMETER_NAME, { error: 'must match ^[A-Za-z_][A-Za-z0-9_.-]*$' }),
        ParameterSchema,
      ),
    )
    .refine((o) => Object.keys(o).length > 0, { error: 'must define at least one parameter' }),
) as z.ZodType<ParamSpecs>;

function definition(form: ParameterForm): ParameterDefinition {
  const shape = shapeOf(form.fields, () => ParametersSchema);
  let schema: z.ZodType = mapping(shape);
  const refine = form.refine;
  if (refine) schema = schema.refine((v) => refine.check(v as never), { error: refine.message });
  return {
    ...form,
    shape,
    schema: schema.transform((v) => form.build(v as never)) as unknown as z.ZodType<ParamSpec>,
  };
}

/** The definitions in W&B's order. */
export const PARAMETER_DEFINITIONS: readonly ParameterDefinition[] = PARAMETER_FORMS.map(definition);

const BY_DISTRIBUTION = new Map(PARAMETER_DEFINITIONS.map((d) => [d.distribution, d]));

export function parameterDefinition(distribution: Distribution): ParameterDefinition {
  return BY_DISTRIBUTION.get(distribution)!;
}

/** One parameter: the first of the 19 definitions that validates (zod's union keeps the first success). */
export const ParameterSchema: z.ZodType<ParamSpec> = z.lazy(() =>
  z.union(PARAMETER_DEFINITIONS.map((d) => d.schema) as [z.ZodType<ParamSpec>, ...z.ZodType<ParamSpec>[]]),
);
