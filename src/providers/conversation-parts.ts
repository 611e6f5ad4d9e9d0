import type { ConversationMessage } from '../core/injection.js';

/** `messages[3] (tool)`: how warnings name a message. */
export function messageLabel(message: ConversationMessage, index: number): string {
  return `messages[${index}] (${message.role})`;
}

/** A tool message the provider cannot take natively, as text that says what it is. */
export function toolOutputText(message: ConversationMessage): string {
  const from = message.name === undefined ? '' : ` from ${JSON.stringify(message.name)}`;
  const call = message.toolCallId === undefined ? '' : ` for call ${JSON.stringify(message.toolCallId)}`;
  return `[Tool output${from}${call}]\n${message.content}`;
}

/** The warning for a tool message that lost its tool semantics. */
export function toolAsTextWarning(message: ConversationMessage, index: number, why: string): string {
  return `${messageLabel(message, index)}: ${why}; sent as user text`;
}

/**
 * Splits off the system and developer messages (providers that take them only as a system prompt fold them
 * there), warning for each one that came after the conversation began (its position is lost).
 */
export function splitInstructions(messages: readonly ConversationMessage[], provider: string) {
  const instructions: string[] = [];
  const conversation: Array<{ message: ConversationMessage; index: number }> = [];
  const warnings: string[] = [];
  messages.forEach((message, index) => {
    if (message.role === 'system' || message.role === 'developer') {
      instructions.push(message.content);
      if (conversation.length > 0)
        warnings.push(
          `${messageLabel(message, index)}: ${provider} takes instructions only up front; moved into the system prompt`,
        );
    } else conversation.push({ message, index });
  });
  return { instructions, conversation, warnings };
}
