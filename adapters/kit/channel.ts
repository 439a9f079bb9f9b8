import type { FastifyInstance } from 'fastify';
import { VitrineError, type ChannelAdapter, type ChannelCapabilities } from '../../engine/index.ts';
import { channelEnv } from './env.ts';
import { channelSender, type RouteRuntime } from './route-support.ts';

/** An HTTP route a channel registers (a WebSocket upgrade is a `GET`). */
export interface ChannelRoute {
  method: 'GET' | 'POST';
  url: string;
}

/** The environment variables a channel reads. */
export interface ChannelEnvironment {
  /** All set: the channel is on; none set: off; some: a configuration error. Empty: the channel is always on. */
  required: readonly string[];
  /** Read when set. */
  optional: readonly string[];
}

/** What a channel is mounted with. */
export interface ChannelContext {
  /** The running Vitrine (engine, database, texts, logger). */
  runtime: RouteRuntime;
  /** Where the channel's variables are read (the server passes `process.env`). */
  env: Record<string, string | undefined>;
  /**
   * Where customers reach the server (`PUBLIC_URL`): channels whose platform
   * fetches images make a bot's image files (`/media/…`) absolute on it.
   */
  publicUrl?: string;
}

/** What a channel's route plugin is given once the channel is on. */
export interface ChannelMount<Settings, Adapter> {
  runtime: RouteRuntime;
  adapter: Adapter;
  settings: Settings;
}

/**
 * Everything Vitrine knows about a channel, written once in the channel's
 * folder. `Settings` is what `configure` reads from the environment; `Adapter`
 * parses, renders and sends (a {@link ChannelAdapter}).
 */
export interface ChannelDefinition<Settings, Adapter extends ChannelAdapter<unknown>> {
  /** The channel's name: bot.yaml `channels` key, `channel` of its messages and of its adapter. */
  name: string;
  /** Its name for people, in logs and configuration errors (`WhatsApp`). */
  title: string;
  /** What it can show; bots enabled on it are checked against it when they load. */
  capabilities: ChannelCapabilities;
  /** The environment variables it reads. */
  env: ChannelEnvironment;
  /** The routes its plugin registers; mounting fails if the plugin registers others. */
  routes: readonly ChannelRoute[];
  /** Checks its variables (present ones only, trimmed) and picks its bot; throws `VT_ERR_CONFIG_INVALID`. */
  configure(vars: Readonly<Record<string, string>>, context: ChannelContext): Settings;
  /** Creates its adapter: parse, render, send. */
  createAdapter(settings: Settings, context: ChannelContext): Adapter;
  /** Registers its routes on the (encapsulated) app. */
  register(app: FastifyInstance, mount: ChannelMount<Settings, Adapter>): Promise<void>;
}

/**
 * A channel as the server sees it: its data, and `mount`, which turns it on
 * when its environment says so (creates the adapter, registers it with the
 * outbox, registers its routes) and resolves to the adapter, or to undefined
 * when the channel is off.
 */
export interface Channel<Adapter extends ChannelAdapter<unknown> = ChannelAdapter<unknown>> {
  readonly name: string;
  readonly title: string;
  readonly capabilities: ChannelCapabilities;
  readonly env: ChannelEnvironment;
  readonly routes: readonly ChannelRoute[];
  mount(app: FastifyInstance, context: ChannelContext): Promise<Adapter | undefined>;
}

const routeKey = (route: ChannelRoute) => `${route.method} ${route.url}`;

/** Registers the channel's routes in their own plugin and checks they are the ones it declares. */
async function registerDeclared<Settings, Adapter extends ChannelAdapter<unknown>>(
  app: FastifyInstance, definition: ChannelDefinition<Settings, Adapter>, mount: ChannelMount<Settings, Adapter>,
): Promise<void> {
  const seen: string[] = [];
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) if (method !== 'HEAD') seen.push(`${method} ${route.url}`);
    });
    await definition.register(scope, mount);
  });
  const declared = definition.routes.map(routeKey).sort();
  if (JSON.stringify([...seen].sort()) !== JSON.stringify(declared)) {
    throw new VitrineError('VT_ERR_CONFIG_INVALID', `The ${definition.title} channel registers ${seen.join(', ') || 'no routes'} but declares ${declared.join(', ') || 'none'}`, { context: { channel: definition.name } });
  }
}

/**
 * Turns a channel definition into a {@link Channel}. The channel's folder
 * exports the result; `adapters/channels.ts` lists it; the server mounts
 * every listed channel the same way.
 *
 * @example
 * ```ts
 * export const echoChannel = defineChannel({
 *   name: 'echo', title: 'Echo', capabilities: ECHO_CAPABILITIES,
 *   env: { required: ['ECHO_TOKEN'], optional: ['ECHO_BOT'] },
 *   routes: [{ method: 'POST', url: '/webhooks/echo' }],
 *   configure: (vars, { runtime }) => {
 *     const botId = botForChannel(runtime.engine.bots, 'echo', { ...(vars['ECHO_BOT'] ? { named: vars['ECHO_BOT'] } : {}) });
 *     if (!botId) throw new VitrineError('VT_ERR_CONFIG_INVALID', 'ECHO_TOKEN is set but no single bot lists "echo"');
 *     return { token: vars['ECHO_TOKEN'] ?? '', botId };
 *   },
 *   createAdapter: (settings) => createEchoAdapter(settings),
 *   register: async (app, { runtime, adapter, settings }) => {
 *     jsonBodyParser(app);
 *     app.post('/webhooks/echo', async (request) => {
 *       if (!safeEqual(request.headers['x-echo-token'], settings.token)) throw new VitrineError('VT_ERR_WEBHOOK_SIGNATURE');
 *       const parsed = adapter.parse(request.body, { botId: settings.botId });
 *       if (!parsed.ok) throw parsed.error;
 *       if (!(await admitThroughEngine(runtime, parsed.messages, runtime.logger))) throw new VitrineError('VT_ERR_JOURNAL_UNAVAILABLE');
 *       return { ok: true };
 *     });
 *   },
 * });
 * ```
 */
export function defineChannel<Settings, Adapter extends ChannelAdapter<unknown>>(definition: ChannelDefinition<Settings, Adapter>): Channel<Adapter> {
  const { name, title, capabilities, env, routes } = definition;
  return {
    name, title, capabilities, env, routes,
    async mount(app, context) {
      const vars = channelEnv(context.env, title, env.required, env.optional);
      if (!vars) return undefined;
      const settings = definition.configure(vars, context);
      const adapter = definition.createAdapter(settings, context);
      if (adapter.channel !== name) {
        throw new VitrineError('VT_ERR_CONFIG_INVALID', `The ${title} channel's adapter says it is "${adapter.channel}", not "${name}"`, { context: { channel: name } });
      }
      // Replies leave through the outbox, which owns the retries; the adapter renders, paces and sends them.
      context.runtime.engine.outbox.register(channelSender(adapter));
      await registerDeclared(app, definition, { runtime: context.runtime, adapter, settings });
      context.runtime.logger.info({ channel: name, routes: routes.map(routeKey) }, `${title} channel on`);
      return adapter;
    },
  };
}
