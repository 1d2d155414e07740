// Globs, not regexes: admins already write mount points and interface names this way in fstab and udev rules.
const globToRegExp = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

/**
 * Builds a predicate from include and exclude globs ("*" matches any run of characters, "/" included).
 * An empty include list means "everything"; exclude wins over include.
 */
export function createNameFilter(include: readonly string[], exclude: readonly string[]): (name: string) => boolean {
  const includes = include.map(globToRegExp);
  const excludes = exclude.map(globToRegExp);
  return (name) =>
    (includes.length === 0 || includes.some((pattern) => pattern.test(name))) &&
    !excludes.some((pattern) => pattern.test(name));
}
