import type { ChatRequest, ChatResult, CodeRunRequest, CodeRunResult } from '@flowsteer/contracts';

/** The one thing operators need from `libs/llm`; any client with this method will do. */
export interface ChatClient {
  chat(req: ChatRequest): Promise<ChatResult>;
}

/** Runs Python in the sandbox (`libs/sandbox`); injected so operators never spawn processes themselves. */
export type RunCode = (req: CodeRunRequest) => Promise<CodeRunResult>;
