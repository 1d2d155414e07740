/** A fixed number of recent samples: the sparkline history of one series, oldest dropped first. */
export class Ring {
  private readonly values: (number | undefined)[] = [];
  private readonly capacity: number;
  constructor(capacity: number) {
    this.capacity = capacity;
  }
  push(value: number | undefined): void {
    this.values.push(value);
    if (this.values.length > this.capacity) this.values.shift();
  }
  get all(): readonly (number | undefined)[] {
    return this.values;
  }
  get last(): number | undefined {
    return this.values.at(-1);
  }
}

/** The last `width` points of a ring, right-aligned in `width` cells (newest at the end), as a sparkline. */
export function recentPoints(values: readonly (number | undefined)[], width: number): (number | undefined)[] {
  const shown = values.slice(-Math.max(0, width));
  return [...Array.from<undefined>({ length: Math.max(0, width - shown.length) }), ...shown];
}
