// Child process for test/integration/core/atomic-write-crash.test.ts. It is killed on purpose.
//
//   node --import tsx test/support/atomic-write-crash-child.ts loop <target> <fileA> <fileB>
//     Rewrites <target> forever, alternating the bytes of <fileA> and <fileB>; prints "ready" once the first write
//     is complete. The parent SIGKILLs it at a random moment.
//
//   node --import tsx test/support/atomic-write-crash-child.ts step:<step> <target> <fileB>
//     Writes the bytes of <fileB> to <target> and SIGKILLs itself right after <step> (see ATOMIC_WRITE_STEPS),
//     through writeFileAtomic's onStep test hook: a crash at an exact point.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ATOMIC_WRITE_STEPS, writeFileAtomic, type AtomicWriteStep } from '../../main/core/atomic-write';

const [mode, target, ...files] = process.argv.slice(2);

if (mode === 'loop' && target && files.length === 2) {
  const contents = files.map((file) => readFileSync(file));
  for (let i = 0; ; i++) {
    // With root: the guarded path (folders held, the replaced file linked aside) is the one that must hold up.
    await writeFileAtomic(target, contents[i % 2]!, { root: path.dirname(target) });
    if (i === 0) process.stdout.write('ready\n');
  }
} else if (mode?.startsWith('step:') && target && files.length === 1) {
  const crashAt = mode.slice('step:'.length) as AtomicWriteStep;
  if (!ATOMIC_WRITE_STEPS.includes(crashAt)) throw new Error(`unknown step ${crashAt}`);
  await writeFileAtomic(target, readFileSync(files[0]!), {
    root: path.dirname(target),
    onStep: (step) => {
      if (step === crashAt) process.kill(process.pid, 'SIGKILL');
    },
  });
  // Reaching this line means the hook never fired: the parent sees a normal exit and fails.
} else {
  console.error('usage: atomic-write-crash-child.ts loop <target> <fileA> <fileB> | step:<step> <target> <fileB>');
  process.exit(2);
}
