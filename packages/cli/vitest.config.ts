import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// Each test file starts a whole stack (sandbox, Prometheus, API); one at a time on a small machine.
export default mergeConfig(shared, defineConfig({ test: { fileParallelism: false } }));
