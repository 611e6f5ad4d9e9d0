/**
 * The part of a Gemini `generateContent` request the adapter writes (checked against the official
 * `@google/genai` types in gemini.test.ts).
 */
export interface GeminiPart {
  text: string;
}

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

/**
 * Used as `models.generateContent({ model, contents: request.contents, config: { systemInstruction:
 * request.systemInstruction } })`. `systemInstruction` is absent when there is nothing to say.
 */
export interface GeminiRequest {
  systemInstruction?: { parts: GeminiPart[] };
  contents: GeminiContent[];
}
