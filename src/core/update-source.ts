/** Where a proposed change comes from (seed 000's update pathways, plus the plain API). */
export const UPDATE_SOURCES = [
  'analysis_agent',
  'human_upload',
  'agent_suggestion',
  'cross_client_pattern',
  'best_practice_update',
  'document_processor',
  'api',
] as const;

export type UpdateSource = (typeof UPDATE_SOURCES)[number];
