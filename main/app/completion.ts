import { readAwsProfiles } from '../aws/profiles';
import { loadProject, type CliProjectRef } from './project-lookup';

// What shell completion offers as words (cli/completion.ts). Loaded on its own, never through the app's index: the
// shell runs it on every Tab, so it reads two small files and loads no SDK and no keychain.

/** The manifest's profile names, in its order; none where there is no valid manifest. */
export async function completeProfileNames(project: CliProjectRef): Promise<string[]> {
  try {
    return [...(await loadProject(project)).profiles.keys()];
  } catch {
    return [];
  }
}

/** The AWS profiles named in the config and credentials files. */
export async function completeAwsProfileNames(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  try {
    const files = await readAwsProfiles(env);
    return [...new Set([...files.config.keys(), ...files.credentials.keys()])].sort();
  } catch {
    return [];
  }
}
