// Development entry: `pnpm broom ...` runs the CLI from its TypeScript sources with tsx.
import { main } from './main.js';

process.exitCode = await main(process.argv);
