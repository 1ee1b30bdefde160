import type { ChatRequest, ChatResult, CodeRunRequest, CodeRunResult } from '@flowsteer/contracts';

/** The one thing operators need from `libs/llm`; any client with this method will do. */
export interface ChatClient {
  chat(req: ChatRequest): Promise<ChatResult>;
}

/** Runs Python in the sandbox (`libs/sandbox`): on sandbox workers only; operators suspend instead (OperatorCall.run). */
export type RunCode = (req: CodeRunRequest) => Promise<CodeRunResult>;
