import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.js';
import { availableMilestones, DEFAULT_MILESTONES, transitiveDependencies, validateMilestoneGraph } from './milestone-graph.js';

const node = (id: string, dependsOn: string[] = []) => ({ id, name: id, dependsOn });

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).code;
  }
}

describe('milestone graph', () => {
  it("accepts seed 002's M0–M9 map", () => {
    expect(validateMilestoneGraph(DEFAULT_MILESTONES).map((milestone) => milestone.id)).toEqual([
      'M0',
      'M1',
      'M2',
      'M3',
      'M4',
      'M5',
      'M6',
      'M7',
      'M8',
      'M9',
    ]);
    expect([...transitiveDependencies(DEFAULT_MILESTONES, 'M4')].sort()).toEqual(['M0', 'M1', 'M2', 'M3']);
    expect(availableMilestones(DEFAULT_MILESTONES, new Set())).toEqual(['M0', 'M8']);
    expect(availableMilestones(DEFAULT_MILESTONES, new Set(['M0', 'M1', 'M2']))).toEqual(['M3', 'M5', 'M8']);
  });

  it('refuses cycles and names them', () => {
    expect(() => validateMilestoneGraph([node('A', ['C']), node('B', ['A']), node('C', ['B'])])).toThrow(/cycle: A → C → B → A/);
    expect(codeOf(() => validateMilestoneGraph([node('A', ['A'])]))).toBe('milestone_cycle');
  });

  it('refuses unknown dependencies and duplicate ids, and removes repeated dependencies', () => {
    expect(codeOf(() => validateMilestoneGraph([node('A', ['Z'])]))).toBe('unknown_dependency');
    expect(codeOf(() => validateMilestoneGraph([node('A'), node('A')]))).toBe('duplicate_milestone');
    expect(validateMilestoneGraph([node('A'), node('B', ['A', 'A'])])[1]?.dependsOn).toEqual(['A']);
  });
});
