import type { CachePort } from '../cache/cache-port.js';
import type { EventBus } from '../events/event-bus.js';
import type { SessionStore } from '../store/session-store.js';
import type { Store } from '../store/store.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { type Assembler, createAssembler } from './assembler.js';
import type { AssemblyConfig } from './assembly-config.js';
import { gptTokenizers } from './gpt-tokenizer-set.js';
import { createJourneyService, type JourneyService } from './journey-service.js';
import type { KnowledgeSource } from './knowledge-source.js';
import { SegmentCounter } from './segment-counter.js';
import { createSessionService, type SessionService } from './session-service.js';

export interface AssemblyServices {
  sessions: SessionService;
  journeys: JourneyService;
  assembler: Assembler;
}

export interface AssemblyServicesOptions {
  config: AssemblyConfig;
  store: Store;
  /** Where sessions live: the store's own, or Redis (chosen by engine.ts). */
  sessionStore: SessionStore;
  tenants: TenantService;
  bus: EventBus;
  knowledge?: KnowledgeSource | undefined;
  /** The cache shared by instances (Redis) when configured; the in-process LRU serves alone otherwise. */
  sharedCache?: CachePort | undefined;
  now?: (() => number) | undefined;
}

/** The session and journey layers and the assembler over them (seed 002), wired as the engine exposes them. */
export function createAssemblyServices(options: AssemblyServicesOptions): AssemblyServices {
  const { config, store, tenants, bus, now } = options;
  const sessions = createSessionService({
    store: options.sessionStore,
    tenants,
    tokenizers: gptTokenizers,
    limits: {
      maxMessages: config.session.maxMessages,
      maxTokens: config.session.maxTokens,
      ttlMs: config.session.ttlSeconds * 1000,
    },
    now,
  });
  const journeys = createJourneyService({ store: store.journeys, tenants, bus, tokenizers: gptTokenizers, now });
  const assembler = createAssembler({
    tenants,
    contexts: store.contexts,
    sessions,
    journeys,
    knowledge: options.knowledge,
    assemblies: store.assemblies,
    counter: new SegmentCounter(gptTokenizers),
    config,
    sharedCache: options.sharedCache,
    now,
  });
  return { sessions, journeys, assembler };
}
