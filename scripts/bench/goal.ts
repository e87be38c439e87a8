/**
 * One line of a benchmark's report against its goal (issue 16), flagging a miss:
 * `name: 0.83 (goal at least 0.80)` or `... (MISSED: goal at least ...)`.
 */
export type GoalUnit = 'percent' | 'times' | 'ms' | 'MiB' | 's';

/** Units that are better when higher: the goal is a floor. The others are budgets: a ceiling. */
const FLOORS: GoalUnit[] = ['percent', 'times'];

export function meetsGoal(value: number, goal: number, unit: GoalUnit): boolean {
  return FLOORS.includes(unit) ? value >= goal : value <= goal;
}

export function formatValue(value: number, unit: GoalUnit): string {
  switch (unit) {
    case 'percent':
      return `${(value * 100).toFixed(0)} %`;
    case 'times':
      return `${value.toFixed(2)}x`;
    case 'ms':
      return `${value.toFixed(0)} ms`;
    case 'MiB':
      return `${value.toFixed(1)} MiB`;
    case 's':
      return `${value.toFixed(1)} s`;
  }
}

export function goalLine(name: string, value: number, goal: number, unit: GoalUnit): string {
  const bound = `${FLOORS.includes(unit) ? 'goal at least' : 'budget'} ${formatValue(goal, unit)}`;
  return `${name}: ${formatValue(value, unit)} (${meetsGoal(value, goal, unit) ? bound : `MISSED: ${bound}`})`;
}
