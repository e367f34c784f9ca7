// Imported for its effect alone: evaluating the contract's areas builds their zod schemas, the largest share of the
// bundle's start-up work (main.tsx evaluates it in a task of its own, after lib/contract-core.ts and before the
// app's modules).
import '../../contract/ipc';
