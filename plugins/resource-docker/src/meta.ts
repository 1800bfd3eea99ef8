/** The package's name and version (kept equal to package.json; a test checks). */
export const PACKAGE = { name: '@broom/resource-docker', version: '0.1.0' } as const;
