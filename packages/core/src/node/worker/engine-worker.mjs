// Starts engine-worker.ts from TypeScript sources: tsx (a root devDependency) compiles it, and the
// pool starts this thread with `--conditions=source` so that workspace packages resolve to src/.
import { register } from 'tsx/esm/api';

register();
await import('./engine-worker.ts');
