import * as v from 'valibot';

/**
 * A regular expression as node_exporter's `--collector.*-include/-exclude` flags take them: it matches anywhere in
 * the name unless it says `^…$` (so a pattern copied from a node_exporter command line selects the same devices).
 * Refused at load time with the engine's own reason when it does not compile, rather than at the first scrape.
 */
export const regexSchema = v.pipe(
  v.string(),
  v.check(
    (source) => {
      try {
        new RegExp(source, 'u');
        return true;
      } catch {
        return false;
      }
    },
    (issue) => `is not a valid regular expression: ${regexError(String(issue.input))}`,
  ),
);

function regexError(source: string): string {
  try {
    new RegExp(source, 'u');
    return 'unknown reason';
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: /, '');
  }
}

/** A name filter from an include and an exclude pattern, either optional, unanchored as node_exporter's. */
export function nameFilter(include: string | undefined, exclude: string | undefined): (name: string) => boolean {
  const included = include === undefined ? undefined : new RegExp(include, 'u');
  const excluded = exclude === undefined ? undefined : new RegExp(exclude, 'u');
  return (name) => (included === undefined || included.test(name)) && !(excluded?.test(name) ?? false);
}
