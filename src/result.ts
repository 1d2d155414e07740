/** The model that checks produce and sinks consume; neither side imports the other. */
export type Status = 'OK' | 'WARN' | 'CRIT' | 'UNKNOWN';

export const STATUSES: readonly Status[] = ['OK', 'WARN', 'CRIT', 'UNKNOWN'];

/** What users see: one per check and instance, judged against the thresholds. */
export interface CheckResult {
  name: string;
  instance?: string;
  status: Status;
  metrics: Record<string, number>;
  labels?: Record<string, string>;
  details: string;
  /** ISO-8601 wall-clock time of the measurement. */
  timestamp: string;
  host: string;
  durationMs: number;
  /** The breach that decided a WARN or CRIT, so history can keep an incident's worst value. */
  breach?: DecidingBreach;
  /** Set when the check itself did not complete (threw, timed out, unavailable), rather than judged UNKNOWN. */
  failed?: true;
}

/** Which metric crossed which level, and in which direction a value gets worse (a free-space floor is "lower"). */
export interface DecidingBreach {
  metric: string;
  value: number;
  level: 'warn' | 'crit';
  worse: 'higher' | 'lower';
}

/** Everything one cycle produced. */
export interface Batch {
  timestamp: string;
  host: string;
  results: CheckResult[];
}

/** The Monitoring Plugins codes (a plugin's exit status): 0 OK, 1 WARN, 2 CRIT, 3 UNKNOWN. */
export const NAGIOS_CODES: Readonly<Record<Status, number>> = { OK: 0, WARN: 1, CRIT: 2, UNKNOWN: 3 };

/** How bad a status is: CRIT over WARN over UNKNOWN over OK (an unmeasured result is not as bad as a breach). */
export const SEVERITY: Readonly<Record<Status, number>> = { OK: 0, UNKNOWN: 1, WARN: 2, CRIT: 3 };

/** The status that summarizes several: CRIT over WARN over UNKNOWN over OK. */
export const worstStatus = (statuses: Iterable<Status>): Status => {
  let worst: Status = 'OK';
  for (const status of statuses) if (SEVERITY[status] > SEVERITY[worst]) worst = status;
  return worst;
};
