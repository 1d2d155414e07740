import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckResult, Status } from '../result.ts';
import { stepAlerts, type AlertEvent, type AlertRules, type AlertState } from './alert-state.ts';

const RULES: AlertRules = {
  forCycles: 2,
  forSeconds: 0,
  resolveAfterCycles: 2,
  repeatSeconds: 3600,
  flap: { window: 10, start: 5, stop: 2 },
};

const disk = (status: Status): CheckResult => ({
  name: 'disk',
  instance: '/',
  status,
  metrics: { used_percent: 91 },
  details: `/: ${status}`,
  timestamp: '',
  host: 'h',
  durationMs: 0,
});

/** Feeds one status per cycle, 60 s apart, and returns "t:kind:status" per event. */
function run(
  statuses: Status[],
  rules: AlertRules = RULES,
  start: AlertState = {},
): { events: string[]; state: AlertState; raw: AlertEvent[] } {
  let state = start;
  const events: string[] = [];
  const raw: AlertEvent[] = [];
  statuses.forEach((status, index) => {
    const step = stepAlerts(state, [disk(status)], 1000 + index * 60, rules);
    state = step.state;
    raw.push(...step.events);
    events.push(...step.events.map((event) => `${index}:${event.kind}:${event.status}`));
  });
  return { events, state, raw };
}

test('stepAlerts() fires only after a status holds for_cycles, and resolves after resolve_after_cycles OK', () => {
  const noFlap = { ...RULES, flap: undefined };
  assert.deepEqual(run(['OK', 'CRIT', 'OK', 'CRIT', 'CRIT', 'CRIT', 'OK', 'CRIT', 'OK', 'OK'], noFlap).events, [
    '4:firing:CRIT',
    '9:resolved:OK',
  ]);
});

test('stepAlerts() honours a minimum duration as well as a cycle count', () => {
  const rules = { ...RULES, forCycles: 1, forSeconds: 150 };
  assert.deepEqual(run(['WARN', 'WARN', 'WARN', 'WARN'], rules).events, ['3:firing:WARN']);
});

test('stepAlerts() reports a change of status while firing, and repeats a standing alert', () => {
  const { events, raw } = run(['WARN', 'WARN', 'CRIT', 'CRIT', ...Array<Status>(60).fill('CRIT'), 'OK', 'OK'], {
    ...RULES,
    flap: undefined,
  });
  assert.deepEqual(events, ['1:firing:WARN', '3:changed:CRIT', '63:repeat:CRIT', '65:resolved:OK']);
  assert.deepEqual(
    raw.map((event) => [event.previous, event.startsAt]),
    [
      ['OK', 1000],
      ['WARN', 1000],
      ['CRIT', 1000],
      ['CRIT', 1000],
    ],
  );
  assert.equal(raw[0]?.key, 'disk//');
  assert.deepEqual(run(['WARN', 'WARN', ...Array<Status>(70).fill('WARN')], { ...RULES, repeatSeconds: 0 }).events, [
    '1:firing:WARN',
  ]);
});

test('stepAlerts() suppresses notifications while a status flaps, then resumes', () => {
  const flapping: Status[] = [
    'OK',
    'CRIT',
    'CRIT',
    'OK',
    'CRIT',
    'OK',
    'CRIT',
    'OK',
    'CRIT',
    'OK',
    'OK',
    'OK',
    'OK',
    'OK',
    'OK',
    'OK',
    'OK',
    'OK',
  ];
  const { events } = run(flapping);
  // Five changes within ten cycles start it (cycle 6); it stops once the window holds at most two (cycle 16).
  assert.deepEqual(events, ['2:firing:CRIT', '6:flapping:CRIT', '16:flapping_stopped:OK', '16:resolved:OK']);
});

test('stepAlerts() keeps tracks of instances that did not report for a day, then forgets them', () => {
  const first = stepAlerts({}, [disk('CRIT'), disk('CRIT')], 0, { ...RULES, forCycles: 1 });
  assert.ok(first.state['disk//']);
  const later = stepAlerts(first.state, [], 3600, RULES);
  assert.ok(later.state['disk//'], 'kept while its check is away');
  assert.equal(stepAlerts(later.state, [], 2 * 86400, RULES).state['disk//'], undefined);
});

test('stepAlerts() never changes the state it is given', () => {
  const deepFreeze = <T>(value: T): T => {
    if (value && typeof value === 'object') {
      Object.values(value).forEach(deepFreeze);
      Object.freeze(value);
    }
    return value;
  };
  let state: AlertState = {};
  const seen: string[] = [];
  for (const [index, status] of (['WARN', 'WARN', 'CRIT', 'OK', 'OK'] as Status[]).entries()) {
    // Frozen: a write to the caller's tracks (pending, recent, counters) throws in strict mode.
    const frozen = deepFreeze(structuredClone(state));
    const step = stepAlerts(frozen, [disk(status)], 1000 + index * 60, RULES);
    assert.deepEqual(frozen, state, 'the input is as it was');
    seen.push(...step.events.map((event) => event.kind));
    state = step.state;
  }
  assert.deepEqual(seen, ['firing', 'resolved']);
});

test('stepAlerts() says when what a restart must remember changed, and not for a steady cycle', () => {
  const changes = (statuses: Status[]): boolean[] => {
    let state: AlertState = {};
    return statuses.map((status, index) => {
      const step = stepAlerts(state, [disk(status)], 1000 + index * 60, RULES);
      state = step.state;
      return step.changed;
    });
  };
  // new track, steady, pending, firing, steady firing, pending OK is no change (hysteresis counts), resolved.
  assert.deepEqual(changes(['OK', 'OK', 'CRIT', 'CRIT', 'CRIT', 'OK', 'OK']), [
    true,
    false,
    true,
    true,
    false,
    false,
    true,
  ]);
  const first = stepAlerts({}, [disk('OK')], 0, RULES);
  assert.equal(stepAlerts(first.state, [], 60, RULES).changed, false, 'a track kept while unseen');
  assert.equal(stepAlerts(first.state, [], 2 * 86400, RULES).changed, true, 'a track forgotten');
});

test('stepAlerts() keeps only the last window of statuses for flap detection', () => {
  const { state } = run(['OK', 'WARN', 'OK', 'WARN', 'OK', 'WARN', 'OK', 'WARN', 'OK', 'WARN', 'OK', 'CRIT']);
  assert.deepEqual(
    state['disk//']?.recent,
    ['WARN', 'OK', 'WARN', 'OK', 'WARN', 'OK', 'WARN', 'OK', 'WARN', 'OK', 'CRIT'].slice(-10),
  );
});
