export { createHttpJsonAdapter, HTTP_JSON_CAPABILITIES, type HttpJsonAdapterOptions, type HttpJsonInbound, type HttpJsonOutbound } from './http-json-adapter.ts';
export { httpJsonRoutes, type HttpJsonRoutesOptions } from './routes.ts';
export { httpJsonChannel, type HttpJsonSettings } from './channel.ts';
