import { ValidationError } from '../core/errors.js';
import type { Milestone } from '../core/journey.js';

/** Seed 002's dependency map (MilestoneTransition.dependency_map): the journey of every tenant that put none. */
export const DEFAULT_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  M0: [],
  M1: ['M0'],
  M2: ['M0', 'M1'],
  M3: ['M0', 'M1', 'M2'],
  M4: ['M1', 'M3'],
  M5: ['M2'],
  M6: ['M5'],
  M7: ['M5', 'M6'],
  M8: [],
  M9: ['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'M8'],
});

export const DEFAULT_MILESTONES: readonly Milestone[] = Object.freeze(
  Object.entries(DEFAULT_DEPENDENCIES).map(([id, dependsOn]) => ({ id, name: id, dependsOn: [...dependsOn] })),
);

/**
 * Checks a graph: unique ids, known dependencies, no self-dependency, no cycle (the cycle is named). Returns the
 * milestones with their dependencies de-duplicated, in declared order.
 */
export function validateMilestoneGraph(milestones: readonly Milestone[]): Milestone[] {
  const ids = new Set<string>();
  for (const [index, milestone] of milestones.entries()) {
    if (ids.has(milestone.id)) throw graphError(`milestones[${index}]: "${milestone.id}" appears twice`, 'duplicate_milestone');
    ids.add(milestone.id);
  }
  const cleaned = milestones.map((milestone, index) => {
    const dependsOn = [...new Set(milestone.dependsOn)];
    for (const dependency of dependsOn) {
      if (dependency === milestone.id)
        throw graphError(`milestones[${index}]: "${milestone.id}" depends on itself`, 'milestone_cycle');
      if (!ids.has(dependency)) {
        throw graphError(
          `milestones[${index}]: "${milestone.id}" depends on "${dependency}", which is not in the graph`,
          'unknown_dependency',
        );
      }
    }
    return { ...milestone, dependsOn };
  });
  const cycle = findCycle(cleaned);
  if (cycle !== undefined) throw graphError(`the dependencies form a cycle: ${cycle.join(' → ')}`, 'milestone_cycle');
  return cleaned;
}

function graphError(message: string, code: string): ValidationError {
  return new ValidationError(`Invalid journey graph: ${message}.`, { code });
}

/** A cycle as a path that starts and ends at the same milestone, or undefined (iterative DFS, three colours). */
function findCycle(milestones: readonly Milestone[]): string[] | undefined {
  const edges = new Map(milestones.map((milestone) => [milestone.id, milestone.dependsOn]));
  const state = new Map<string, 'visiting' | 'done'>();
  for (const start of edges.keys()) {
    if (state.has(start)) continue;
    const path: string[] = [];
    const stack: Array<{ id: string; next: number }> = [{ id: start, next: 0 }];
    state.set(start, 'visiting');
    path.push(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { id: string; next: number };
      const dependencies = edges.get(top.id) ?? [];
      if (top.next >= dependencies.length) {
        state.set(top.id, 'done');
        stack.pop();
        path.pop();
        continue;
      }
      const dependency = dependencies[top.next] as string;
      top.next += 1;
      const seen = state.get(dependency);
      if (seen === 'visiting') return [...path.slice(path.indexOf(dependency)), dependency];
      if (seen === undefined) {
        state.set(dependency, 'visiting');
        stack.push({ id: dependency, next: 0 });
        path.push(dependency);
      }
    }
  }
  return undefined;
}

/** Every milestone `id` depends on, directly or not. */
export function transitiveDependencies(milestones: readonly Milestone[], id: string): Set<string> {
  const edges = new Map(milestones.map((milestone) => [milestone.id, milestone.dependsOn]));
  const found = new Set<string>();
  const queue = [...(edges.get(id) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift() as string;
    if (found.has(next)) continue;
    found.add(next);
    queue.push(...(edges.get(next) ?? []));
  }
  return found;
}

/** Milestones not completed whose dependencies all are, in graph order. */
export function availableMilestones(milestones: readonly Milestone[], completed: ReadonlySet<string>): string[] {
  return milestones
    .filter((milestone) => !completed.has(milestone.id) && milestone.dependsOn.every((dependency) => completed.has(dependency)))
    .map((milestone) => milestone.id);
}
