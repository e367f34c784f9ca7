// Imported for its effect alone: evaluating the plan's, the errors' and the shared schemas, which every area of the
// contract builds on (main.tsx evaluates them in a task of their own, before the areas: lib/contract-schemas.ts).
import '../../contract/plan-packing';
import '../../contract/ipc/shared';
