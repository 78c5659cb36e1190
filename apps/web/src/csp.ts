import { z } from 'zod';

/**
 * The server's Content-Security-Policy forbids eval. Zod probes for it (`new Function`) the first
 * time it parses, and the browser reports that probe as a violation even though zod falls back;
 * jitless mode skips the probe. Imported first by main.tsx, before anything parses.
 */
z.config({ jitless: true });
