import { definePlugin } from '@broom/core';
import { PACKAGE_VERSION } from '../meta.js';
import { createPatientPruner } from '../create-pruner.js';
import { PatientPrunerOptions } from '../options.js';

export default definePlugin({
  meta: {
    name: '@broom/pruner-optuna/patient',
    version: PACKAGE_VERSION,
    kind: 'pruner',
    alias: 'PatientPruner',
    description: "Optuna's PatientPruner: once a trial stops improving for patience steps, ask the wrapped pruner (or prune)",
  },
  options: PatientPrunerOptions,
  create: (options) => createPatientPruner(options),
});
