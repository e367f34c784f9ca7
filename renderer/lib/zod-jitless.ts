import { z } from 'zod';

/**
 * The renderer's CSP has no 'unsafe-eval'. zod probes `new Function` as each object schema is built (the contract's
 * are built when their modules load), and the page would report that probe as a CSP violation even though zod
 * catches it. Imported first by main.tsx, before any module that builds a schema.
 */
z.config({ jitless: true });
