import type { ResolvedSecret, SecretSource } from '../core/types';

/** Plain values written in the manifest (`set: { LOG_LEVEL: debug }`): not secrets, but part of the profile. */
export const setSource: SecretSource<'set'> = {
  kind: 'set',
  async resolve(specs) {
    const secrets: ResolvedSecret[] = specs.flatMap((spec) =>
      Object.entries(spec.values).map(([key, value]) => ({ spec, sourceKey: key, value, meta: {} })),
    );
    return { secrets, warnings: [] };
  },
};
