import { compileEvent } from './compile-event-conditions.js';
import {
  compileEmotion,
  compileEmotionShift,
  compileKeyword,
  compilePattern,
  compileSentiment,
  compileTopic,
  compileTopicShift,
} from './compile-semantic-conditions.js';
import { compileContextShift, compileState } from './compile-state-conditions.js';
import { compileDecay, compileEvery, compileSchedule, compileSilence } from './compile-temporal-conditions.js';
import type { CompileContext, CompiledCondition } from './compiled-condition.js';
import { ALL_STEP_KINDS } from './observed-input.js';
import type { RuleCondition } from './rule-condition-schema.js';

/** Compiles a validated `when` into a test. */
export function compileCondition(when: RuleCondition, compile: CompileContext): CompiledCondition {
  switch (when.type) {
    case 'keyword':
      return compileKeyword(when, compile);
    case 'pattern':
      return compilePattern(when);
    case 'topic':
      return compileTopic(when, compile);
    case 'sentiment':
      return compileSentiment(when);
    case 'emotion':
      return compileEmotion(when);
    case 'emotion-shift':
      return compileEmotionShift(when);
    case 'topic-shift':
      return compileTopicShift(when);
    case 'context-shift':
      return compileContextShift(when);
    case 'every':
      return compileEvery(when);
    case 'schedule':
      return compileSchedule(when);
    case 'decay':
      return compileDecay(when);
    case 'silence':
      return compileSilence(when);
    case 'state':
      return compileState(when);
    case 'event':
      return compileEvent(when, compile);
    case 'all':
      return compileAll(when.of.map((child) => compileCondition(child, compile)));
    case 'any':
      return compileAny(when.of.map((child) => compileCondition(child, compile)));
    case 'not':
      return compileNot(compileCondition(when.of, compile));
    default: {
      const exhaustive: never = when;
      return exhaustive;
    }
  }
}

/** `all`: every child holds on the same step; it can only hold on steps every child can hold on. */
function compileAll(children: CompiledCondition[]): CompiledCondition {
  return {
    kinds: children.reduce((bits, child) => bits & child.kinds, ALL_STEP_KINDS),
    describe: `all of (${children.map((child) => child.describe).join('; ')})`,
    test: (context) => {
      const reasons: string[] = [];
      for (const child of children) {
        const reason = child.test(context);
        if (reason === undefined) return undefined;
        reasons.push(reason);
      }
      return reasons.join(' and ');
    },
  };
}

/** `any`: the first child that holds. */
function compileAny(children: CompiledCondition[]): CompiledCondition {
  return {
    kinds: children.reduce((bits, child) => bits | child.kinds, 0),
    describe: `any of (${children.map((child) => child.describe).join('; ')})`,
    test: (context) => {
      for (const child of children) {
        const reason = child.test(context);
        if (reason !== undefined) return reason;
      }
      return undefined;
    },
  };
}

/** `not`: holds on any step where the child does not. */
function compileNot(child: CompiledCondition): CompiledCondition {
  return {
    kinds: ALL_STEP_KINDS,
    describe: `not (${child.describe})`,
    test: (context) => (child.test(context) === undefined ? `not (${child.describe})` : undefined),
  };
}
