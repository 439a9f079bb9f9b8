export { createConsoleAdapter, CONSOLE_CAPABILITIES, type ConsoleAdapterOptions, type ConsoleInput } from './console-adapter.ts';
export { createTestConversation, type TestConversation } from './test-channel.ts';
