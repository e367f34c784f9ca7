import type { AwsKeys } from '../../../app';
import { LatchkeyError } from '../../../core/errors';
import { canPrompt, promptSecret } from '../../prompt';
import { readStdin } from '../../stdin';

/** Two lines on stdin (id, then secret), or two no-echo prompts on a terminal; never a value in an error. */
export async function readKeys(): Promise<AwsKeys> {
  if (process.stdin.isTTY) {
    if (!canPrompt())
      throw new LatchkeyError(
        'NEEDS_INPUT',
        'no terminal to ask for the keys on',
        'Pipe the access key id and the secret as two lines on stdin',
      );
    const accessKeyId = (await promptSecret('Access key id: ')).trim();
    const secretAccessKey = (await promptSecret('Secret access key: ')).trim();
    return { accessKeyId, secretAccessKey };
  }
  const lines = (await readStdin())
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length !== 2)
    throw new LatchkeyError(
      'INVALID_INPUT',
      `expected two lines on stdin (access key id, then secret access key), got ${lines.length}`,
    );
  return { accessKeyId: lines[0] as string, secretAccessKey: lines[1] as string };
}
