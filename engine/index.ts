/**
 * The public API of the Vitrine engine. Channels, servers and custom steps
 * import from here only.
 */
export { createEngine, conversationKey, type Engine, type EngineOptions, type EngineObserver, type TurnResult, type ConversationAddress, type ProviderEventHandler } from './conversation/engine.ts';
export { WorkLoop, type WorkLoopOptions } from './conversation/work-loop.ts';
export type { ConversationStore, JournalInput, JournalEntry, JournalPayload, Admission, OutboxInput, OutboxEntry, Backlog, ReplyRoute, ConversationRow } from './store/conversation-store.ts';
export { createPrismaStore } from './store/prisma-store.ts';
export { createSqliteStore } from './store/sqlite-store.ts';
export { defaultStore } from './store/default-store.ts';
export { OutboxSender, type ChannelSender, type DeliveryOutcome, type OutboxObserver, type OutboxSenderOptions } from './outbox/outbox-sender.ts';
export { paymentEffects, type TurnEffect } from './payments/payment-effects.ts';
export type { InboundMessage, InboundKind, OutboundMessage, OutboundKind, ChoiceOption, ChoiceMessage, ProductView, LineView, CustomerRef } from './messages.ts';
export { parseFailure, type ChannelAdapter, type ChannelCapabilities, type ParseFailure, type ParseResult } from './channel.ts';
export { defineStep, createStepRegistry, type StepDefinition, type AnyStep, type StepContext, type StepResult, type StepInput, type SystemInput, type StepRegistry, type ConversationData, type SettableData } from './flow/step.ts';
export { compileFlow, bindStepRunner } from './flow/compile-flow.ts';
export { loadFlows, checkFlow, flowTextKeys, stepOutcomes } from './flow/load-flows.ts';
export { flowSpecSchema, GLOBAL_INTENTS, type FlowDefinition, type FlowSpec, type GlobalIntent } from './flow/flow-schema.ts';
export { normalizeText, resolveChoice, IntentMatcher } from './flow/intents.ts';
export { encodeOptionId, decodeOptionId, tappedOption, type OptionId, type OptionKind, type OptionIntent } from './flow/option-id.ts';
export { loadBot, type LoadedBot, type LoadedBusiness } from './config/load-bot.ts';
export { checkBot, ENGINE_TEXT_KEYS } from './config/check-bot.ts';
export { botSpecSchema, type BotSpec } from './config/bot-schema.ts';
export { businessSpecSchema, type BusinessSpec, type ProductSpec } from './config/business-schema.ts';
export type { BotRuntime } from './config/bot-runtime.ts';
export { ConfigError, formatProblem, parseSource, type ConfigProblem } from './config/problems.ts';
export { seedBot, type SeedReport } from './catalog/seed.ts';
export type { CatalogService, CategorySummary, ProductRecord, ProductPage } from './catalog/catalog-service.ts';
export type { DirectoryService, BusinessSummary } from './catalog/directory-service.ts';
export { MAX_QUANTITY, type CartService, type CartView, type CartLine } from './cart/cart-service.ts';
export type { OrderService, OrderRecord, OrderLineRecord, CheckoutResult } from './orders/order-service.ts';
export { recordOnlyPaymentProvider, type PaymentProvider, type PaymentStart, type OrderForPayment } from './payments/payment-provider.ts';
export { PAYMENT_UPDATE_OUTCOMES, type PaymentUpdate, type PaymentUpdateOutcome, type PaymentWebhook, type WebhookRequest, type WebhookVerification } from './payments/payment-webhook.ts';
export { createPaymentProviders, type PaymentProviderDescriptor, type PaymentProviderContext } from './payments/payment-provider-descriptor.ts';
export { createI18n, type I18n, type I18nResources, type TextTree } from './i18n/create-i18n.ts';
export { FALLBACK_LOCALE, languageOf, matchLocale } from './i18n/locale-tags.ts';
export { WORD_KINDS, WORDS_KEY, type LocaleWords, type WordKind } from './i18n/locale-words.ts';
export { formatMoney, formatDate, parseMinorUnits, currencyExponent, isCurrency, type Money } from './money.ts';
export { VitrineError, isVitrineError, isVitrineErrorCode, toVitrineError, errorStatus, ERROR_CODES, type ErrorSpec, type VitrineErrorCode } from './errors.ts';
export { openDatabase, migrateSqlite, sqlitePath, DEFAULT_DATABASE_URL, type Db } from './db/index.ts';
export type { DbClient } from './db/db-client.ts';
export { systemClock, randomIds, type Clock, type IdGenerator, type Services } from './services.ts';
export { applyOrderEvent, readOrder, type AppliedOrderEvent, type ScheduleEvent } from './orders/order-service.ts';
export { orderMachine, nextOrderStatus, orderTransitions, isOrderStatus, orderStatusOf, isOrderEventType, ORDER_STATUSES, ORDER_EVENT_TYPES, type OrderStatus, type OrderEventType } from './orders/order-machine.ts';
export { cashPaymentProvider, cashPayments } from './payments/cash-provider.ts';
export { applyPaymentUpdate, paymentEventHandler, type PaymentEventResult, type PaymentEventOutcome } from './payments/payment-events.ts';
export { orderNotice } from './payments/order-notice.ts';
export { orderStatusMessage, type OrderStatusMessage, type OrderStatusAudience } from './orders/order-status-message.ts';
export { markOrder, SHOP_EVENT_NOTICES, type ShopOrderEvent, type MarkOrderResult } from './orders/order-service.ts';
