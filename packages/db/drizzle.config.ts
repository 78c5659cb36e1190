import { defineConfig } from 'drizzle-kit';

// `pnpm db:generate` writes a new migration after a schema change; commit it. Never
// `drizzle-kit push`: the history must only ever move forward through reviewed migrations.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/schema/index.ts',
  out: './drizzle',
  strict: true,
  verbose: true,
});
