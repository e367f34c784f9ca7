import { $ZodObject } from 'zod/v4/core';

// Imported for its effect: evaluating zod's core (its schema classes, checks and registries). The contract's first
// schemas need it, and evaluated together with zod's classic API and those schemas it was one task of 60-120 ms in
// the window's start-up (issue 14, item 5); main.tsx evaluates it in a task of its own, before lib/contract-core.ts.

/** Referenced so the bundler keeps the core's schema modules in this module's own chunk. */
export const ZOD_CORE_OBJECT = $ZodObject;
