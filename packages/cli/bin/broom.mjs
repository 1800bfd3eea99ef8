#!/usr/bin/env node
// The published entry point: runs the built CLI with plain node (no tsx needed).
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv);
