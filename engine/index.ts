/**
 * The core of Vitrine: what a developer writes a bot, a flow step, a channel
 * or a payment provider against. Importing it loads neither a database client
 * nor a payment provider's SDK; those live in sub-entries:
 *
 * - `vitrine/db`: open and migrate the database, the conversation stores.
 * - `vitrine/kit`: what channels share (`defineChannel`, degrading choices, body parsing).
 * - one entry per payment provider that needs an SDK of its own (listed in `docs/api-report.md`).
 * - `vitrine/server`: the HTTP server and the runtime that loads bots.
 * - `vitrine/testing`: the adapter conformance suite and the test channel.
 *
 * @example
 * ```ts
 * import { createEngine, defineStep, type OutboundMessage } from 'vitrine';
 * import { openDatabase } from 'vitrine/db';
 * ```
 *
 * @packageDocumentation
 */

// The engine
export { createEngine, conversationKey } from './conversation/engine.ts';
export type { Engine, EngineOptions, EngineObserver, TurnResult, ConversationAddress, ProviderEventHandler } from './conversation/engine.ts';
export { recentHistory, conversationTimeline, messageText } from './conversation/history.ts';
export type { HistoryEntry, HistoryQuery, TimelineEntry } from './conversation/history.ts';
export { currentBusiness, IN_DIRECTORY } from './conversation/current-business.ts';
export type { CurrentBusiness } from './conversation/current-business.ts';

// Messages: what channels receive and render
export type { InboundMessage, InboundKind, OutboundMessage, OutboundKind, ChoiceOption, ChoiceMessage, ProductView, LineView, ChargeView, CustomerRef, OrderAmounts, OrderLineAmount } from './messages.ts';

// Channels: the adapter a channel implements, and the outbox that delivers through it
export { parseFailure } from './channel.ts';
export type { ChannelAdapter, ChannelCapabilities, ParseFailure, ParseResult } from './channel.ts';
export type { OutboxSender, ChannelSender, DeliveryOutcome, OutboxObserver, OutboxSenderOptions } from './outbox/outbox-sender.ts';

// Flow steps
export { defineStep, createStepRegistry } from './flow/step.ts';
export type { StepDefinition, AnyStep, StepContext, StepResult, StepInput, SystemInput, StepRegistry, ConversationData, SettableData, FulfilmentDraft } from './flow/step.ts';
export { encodeOptionId, decodeOptionId, tappedOption } from './flow/option-id.ts';
export type { OptionId, OptionKind, OptionIntent } from './flow/option-id.ts';

// Flows
export { loadFlows, checkFlow } from './flow/load-flows.ts';
export { flowSpecSchema, GLOBAL_INTENTS, GLOBAL_ROUTES } from './flow/flow-schema.ts';
export type { FlowDefinition, FlowSpec, GlobalIntent, GlobalRoute } from './flow/flow-schema.ts';
export { businessLinkMessage, businessLinkSlugs } from './flow/business-link.ts';
export { e164Digits } from './config/phone-number.ts';

// Bots and businesses: configuration files, loading and checking them, seeding the catalog
export { loadBot } from './config/load-bot.ts';
export type { LoadedBot, LoadedBusiness } from './config/load-bot.ts';
export type { LoadProgress, OnLoadProgress } from './config/load-progress.ts';
export { checkBot } from './config/check-bot.ts';
export { botSpecSchema } from './config/bot-schema.ts';
export type { BotSpec } from './config/bot-schema.ts';
export { businessSpecSchema } from './config/business-schema.ts';
export type { BusinessSpec, ProductSpec } from './config/business-schema.ts';
export type { BotRuntime } from './config/bot-runtime.ts';
export { botImageFile, MEDIA_PATH, PRODUCT_IMAGE_TYPES, productImageUrl } from './config/product-image.ts';
export { ConfigError, formatProblem } from './config/problems.ts';
export type { ConfigProblem } from './config/problems.ts';
export { seedBot } from './catalog/seed.ts';
export type { SeedReport } from './catalog/seed.ts';

// Services steps use: directory, catalog, cart, orders
export type { DirectoryService, BusinessSummary } from './catalog/directory-service.ts';
export type { CatalogService, CategorySummary, ProductRecord, ProductPage } from './catalog/catalog-service.ts';
export { MAX_QUANTITY } from './cart/cart-service.ts';
export type { CartElsewhere, CartService, CartView, CartLine } from './cart/cart-service.ts';
export { readOrder } from './orders/order-service.ts';
export type { OrderService, OrderRecord, OrderLineRecord, CheckoutResult } from './orders/order-service.ts';
export { ORDER_STATUSES, ORDER_EVENT_TYPES, isOrderStatus } from './orders/order-machine.ts';
export type { OrderStatus, OrderEventType } from './orders/order-machine.ts';
export { orderStatusMessage, ORDER_FEE_TEXT_KEYS } from './orders/order-status-message.ts';
export { orderAmounts } from './orders/order-amounts.ts';
export type { OrderStatusMessage, OrderStatusAudience } from './orders/order-status-message.ts';

// The sales funnel and the searches that found nothing (the staff dashboard reads them)
export { FUNNEL_STAGES, funnelByDay, markFunnel, recordUnfoundSearch, unfoundSearches } from './analytics/index.ts';
export type { FunnelDay, FunnelStage, UnfoundSearchCount } from './analytics/index.ts';

// Notices to businesses: new orders, payments, hand-off requests
export { noticeShop, notifySchema, SHOP_NOTICE_TYPES, SHOP_WEBHOOK_CHANNEL, STAFF_CHAT_CHANNELS, staffChatChannel } from './notifications/shop-notice.ts';
export { staffNoticeText } from './notifications/staff-notice-text.ts';
export type { NotifySettings, ShopNoticeBody, ShopNoticeSubject, ShopNoticeType } from './notifications/shop-notice.ts';

// Hand-offs to a person of a business (docs/handoff.md)
export { HANDOFF_STATUSES, HANDOFF_TIMEOUT_EVENT, HANDOFF_CLOSED_EVENT, HANDOFF_OPTION_IDS, noAnswerOffer, openHandoff } from './handoff/handoffs.ts';
export type { HandoffStatus } from './handoff/handoffs.ts';
export { replyToCustomer, markHandoffRead, closeHandoff, conversationStamp } from './handoff/staff-desk.ts';
export type { StaffTarget, NotifyInTransaction } from './handoff/staff-desk.ts';
export { listConversations, conversationDetail, HANDOFF_FILTERS } from './handoff/conversation-views.ts';
export type { ConversationSummary, ConversationDetail, HandoffFilter } from './handoff/conversation-views.ts';
export { handoffSettingsSchema, storedHandoffSettings, DEFAULT_ANSWER_WITHIN_MINUTES } from './handoff/handoff-settings.ts';
export type { HandoffSettings } from './handoff/handoff-settings.ts';

// Payment providers: the descriptor a provider exports, and the built-in ones
export { createPaymentProviders } from './payments/payment-provider-descriptor.ts';
export { closedForOrders, closedNotice, openingAt, opensAtText, openingHoursSchema, OPENING_HOURS_TEXT_KEYS, WEEKDAYS } from './catalog/opening-hours.ts';
export type { OpeningHours, Weekday } from './catalog/opening-hours.ts';
export { checkFulfilment, FULFILMENT_METHODS, fulfilmentFee, fulfilmentSettings, fulfilmentSpecSchema, offeredMethods, readFulfilment, shortOfMinimum } from './orders/fulfilment.ts';
export type { FulfilmentChoice, FulfilmentMethod, FulfilmentSettings, FulfilmentSpec, OrderFulfilment } from './orders/fulfilment.ts';
export { orderFulfilment, priceFulfilment } from './orders/order-fulfilment.ts';
export type { FulfilmentColumns } from './orders/order-fulfilment.ts';
export { ANY_COUNTRY, paymentMethodsFor, paymentMethodProblems, paymentMethodsSchema } from './payments/payment-methods.ts';
export type { OfferedPaymentMethods, PaymentMethodsByCountry, PaymentMethodProblem } from './payments/payment-methods.ts';
export type { PaymentProviderDescriptor, PaymentProviderContext, PaymentProviderOff } from './payments/payment-provider-descriptor.ts';
export { recordOnlyPaymentProvider, recordPayments } from './payments/payment-provider.ts';
export type { PaymentProvider, PaymentStart, OrderForPayment } from './payments/payment-provider.ts';
export { PAYMENT_UPDATE_OUTCOMES } from './payments/payment-webhook.ts';
export type { PaymentUpdate, PaymentUpdateOutcome, PaymentWebhook, WebhookRequest, WebhookVerification } from './payments/payment-webhook.ts';
export { cashPayments, cashPaymentProvider } from './payments/cash-provider.ts';

// Languages
export { createI18n } from './i18n/create-i18n.ts';
export type { I18n, I18nResources, TextTree } from './i18n/create-i18n.ts';
export { FALLBACK_LOCALE, languageOf, matchLocale } from './i18n/locale-tags.ts';
export { WORD_KINDS } from './i18n/locale-words.ts';
export type { LocaleWords, WordKind } from './i18n/locale-words.ts';

// Money
export { formatMoney, formatDate, parseMinorUnits, minorToDecimal, currencyExponent, isCurrency } from './money.ts';
export type { Money } from './money.ts';

// Errors
export { VitrineError, isVitrineError, isVitrineErrorCode, toVitrineError, errorStatus, ERROR_CODES } from './errors.ts';
export type { ErrorSpec, VitrineErrorCode } from './errors.ts';

// Injected services and storage the engine is given
export { systemClock, randomIds } from './services.ts';
export type { Clock, IdGenerator, Services } from './services.ts';
export type { Db } from './db/open-database.ts';
export type { DbClient } from './db/db-client.ts';
// What the engine answers an admission with, and the reply a channel sender is given; the conversation store's own types are in `vitrine/db`.
export type { Admission, OutboxEntry } from './store/conversation-store.ts';
