import type { AssemblyPacket } from '../core/assembly.js';
import type { RenderItem } from './render.js';

export interface PacketContext {
  query: string;
  milestone: string | null;
  next: string | null;
  completed: string[];
  dependencies: string[];
  /** Ids of the most valuable included items. */
  focus: string[];
  metadata: AssemblyPacket['metadata'];
}

/** The packet (seed 003's ContextPacket shape) of the included items, in text order. */
export function buildPacket(items: readonly RenderItem[], context: PacketContext): AssemblyPacket {
  const information: AssemblyPacket['information'] = { documents: [], session: [], journey: [], knowledge: [] };
  for (const item of items) {
    switch (item.layer) {
      case 'documents':
        information.documents.push({ key: item.key, version: item.version, value: item.value });
        break;
      case 'session':
        information.session.push({ id: item.id, role: item.role, content: item.content, createdAt: item.createdAt });
        break;
      case 'journey':
        information.journey.push({
          milestone: item.milestone,
          revision: item.revision,
          completedAt: item.completedAt,
          keyDecisions: item.keyDecisions,
          data: item.data,
        });
        break;
      case 'knowledge':
        information.knowledge.push({
          id: item.id,
          text: item.text,
          score: item.score,
          metadata: item.metadata,
          createdAt: item.createdAt,
        });
        break;
    }
  }
  return {
    information,
    strategy: {
      milestone: context.milestone,
      next: context.next,
      completed: context.completed,
      dependencies: context.dependencies,
    },
    attention: { query: context.query, focus: context.focus },
    metadata: context.metadata,
  };
}
