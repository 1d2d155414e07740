/**
 * import() for modules outside the bundle (plugins, optional packages). bin/argus.cjs provides the function: our
 * bundle may run inside a vm.Script compiled from V8's code cache, where Node 20 has no dynamic-import callback.
 * From source (tests) the native import() is used.
 */
export function importModule(specifier: string): Promise<unknown> {
  const provided = (globalThis as Record<symbol, unknown>)[Symbol.for('argus.import')] as
    ((specifier: string) => Promise<unknown>) | undefined;
  return provided ? provided(specifier) : import(specifier);
}
