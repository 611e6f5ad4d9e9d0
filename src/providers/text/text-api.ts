/** The `text` and `xml` formats: one string, for prompts assembled by hand or models without a message API. */
export interface TextRequest {
  text: string;
}
