/** The names of a module's exports that are functions returning a promise: those can be called before it loads. */
type AsyncFunctionKey<M> = {
  [K in keyof M]: M[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof M];

/** The first call starts `make`; every call gets its promise. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

/**
 * A module of use cases loaded on the first call of one of them (issue 12: start-up). Its functions all return
 * promises already, so a caller cannot tell: `lazyModule(() => import('./aws/keys')).fn('addKeys')`.
 */
export function lazyModule<M>(load: () => Promise<M>) {
  const get = once(load);
  return {
    get,
    fn<K extends AsyncFunctionKey<M>>(name: K): M[K] {
      const call = async (...args: unknown[]) => {
        const fn = (await get())[name] as (...a: unknown[]) => Promise<unknown>;
        // eslint-disable-next-line no-restricted-syntax -- forwards a rest parameter: no more arguments than given
        return fn(...args);
      };
      return call as M[K];
    },
  };
}
