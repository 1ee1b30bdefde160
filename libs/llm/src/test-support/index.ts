/**
 * Test helpers of @flowsteer/llm, for tests only: never imported by product code and not
 * re-exported from the library's main index. From another lib's test:
 *   import { startFakeOpenAIServer, fakeBackendRegistry, reply } from '@flowsteer/llm/test-support';
 */
export {
  startFakeOpenAIServer,
  fakeBackendRegistry,
  reply,
  type FakeOpenAIServer,
  type FakeOpenAIServerOptions,
  type FakeReply,
  type FakeReplyScript,
  type RecordedRequest,
} from './fake-openai-server';
