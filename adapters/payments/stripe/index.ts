export { stripePayments } from './stripe-payments.ts';
export { createStripePaymentProvider, createStripeClient, checkoutSessionParams, pixIntentParams, STRIPE_IN_CHAT, STRIPE_METHODS, type StripePaymentProvider, type StripeProviderOptions } from './stripe-provider.ts';
export { stripeWebhook, readStripeEvent, STRIPE_WEBHOOK_PATH, type StripeWebhookOptions } from './stripe-webhook.ts';
export { checkoutLocale, STRIPE_CHECKOUT_LOCALES } from './checkout-locale.ts';
