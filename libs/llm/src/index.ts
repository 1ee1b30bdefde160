/**
 * @flowsteer/llm: interchangeable LLM backends over the `openai` SDK, the embedded local model,
 * the usage/cost ledger and the LLM activities. See libs/llm/README.md.
 */
export {
  BackendRegistry,
  loadBackendRegistry,
  configuredNames,
  backendRegistryFromConfig,
  defaultLocalBackend,
  defaultLocalModelPath,
  defaultLocalModelEntry,
  LOCAL_MODEL_ENTRY_NAME,
  LOCAL_BACKEND_NAME,
  LOCAL_MODEL_FILE,
  FETCH_MODEL_COMMAND,
  type Backend,
  type OpenAICompatibleBackend,
  type LocalBackend,
  type LoadBackendRegistryOptions,
  type BackendConfigFile,
  type Sampling,
  type Price,
  type RetryPolicy,
  type Capabilities,
} from './config';
export { ModelCatalog, UnknownModelError, type ModelEntry } from './models';
export { LlmClient, type LlmClientOptions, type ChatCallOptions } from './client';
export { LlmError, isLlmError, redact, type LlmErrorKind } from './errors';
export { costUsd, estimateTokens } from './ledger';
export { createLlmActivities, toActivityFailure } from './activities';
export { startLocalOpenAIServer, type LocalOpenAIServer, type LocalOpenAIServerOptions } from './local/server';
export { preloadLocalBackend, disposeLocalModels, assertLocalModelPresent } from './local/local-model';
export { registerLocalAdapter, setLocalAdapterResolver, localAdapterPath, forgetLocalAdapters } from './local/adapters';
export type { LlmLogger } from './types';
