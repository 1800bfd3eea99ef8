export { jsonDumps, pyFloatRepr, pyRepr, pyStr, pyStrRepr } from './python-format.js';
export {
  COMMAND_MACROS,
  DEFAULT_COMMAND,
  buildCommand,
  formatArgs,
  substituteEnvVars,
  type ArgsMacro,
  type BuiltCommand,
  type CommandFile,
  type CommandInput,
} from './command.js';
