/** The package's name and version, for the plugins' `meta`. */
export const PACKAGE_NAME = '@broom/pruner-optuna';
export const PACKAGE_VERSION = '0.1.0';
