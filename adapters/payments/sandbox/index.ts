export { sandboxPayments } from './sandbox-payments.ts';
export { createSandboxPaymentProvider, sandboxRef, sandboxPagePath, type SandboxPaymentProvider, type SandboxProviderOptions, type SandboxDelivery } from './sandbox-provider.ts';
export { sandboxWebhook } from './sandbox-webhook.ts';
export { sandboxEvent, readSandboxEvent, type SandboxEvent, type SandboxOutcome } from './sandbox-event.ts';
export { SANDBOX_SIGNATURE_HEADER, signSandboxBody, sandboxSignatureProblem } from './sandbox-signature.ts';
export { sandboxPage, type SandboxPageBody, type PageT } from './sandbox-page.ts';
export { sandboxPageRoutes, type SandboxPageOptions } from './sandbox-routes.ts';
