import { Transport, type TransportOptions } from './request.js';

/** Options of a client: `new CartritaClient(options)` and `createClient(options)`. */
export interface ClientOptions extends Omit<TransportOptions, 'baseURL' | 'getAuthToken'> {
  /** Where the Cartrita server lives. Default: `http://127.0.0.1:8000`. */
  baseURL?: string | undefined;
  /**
   * A client secret from `POST /api/chatkit/session`, sent as `Authorization: Bearer`. For secrets that
   * expire, prefer {@link ClientOptions.getClientSecret}.
   */
  clientSecret?: string | undefined;
  /**
   * Returns a valid client secret before each request; called again with `{ force: true }` when the
   * server answers 401, so an expired secret is replaced and the request sent once more.
   */
  getClientSecret?: TransportOptions['getAuthToken'];
}

/** The transport a client's resources share, made from the client's options. */
export const createTransport = (options: ClientOptions = {}): Transport => {
  const { clientSecret, getClientSecret, baseURL, ...rest } = options;
  return new Transport({
    ...rest,
    baseURL: baseURL ?? 'http://127.0.0.1:8000',
    getAuthToken: getClientSecret ?? (clientSecret === undefined ? undefined : () => clientSecret),
  });
};

/** A resource class: built with the transport it sends through (`Chat`, `ChatKit`, `Realtime`, ...). */
export type ResourceClass = new (transport: Transport) => object;

/** The client {@link createClient} returns: the transport, and one instance of each resource given. */
export type Client<Resources extends Record<string, ResourceClass>> = {
  /** The transport every resource sends through (retries, timeouts, auth). */
  readonly transport: Transport;
} & { readonly [Name in keyof Resources]: InstanceType<Resources[Name]> };

/** Options of {@link createClient}: a client's options and the resources it carries. */
export interface CreateClientOptions<Resources extends Record<string, ResourceClass>> extends ClientOptions {
  /** The resources of the client, by the name they go under: `{ chat: Chat }` gives `client.chat`. */
  resources: Resources;
}

/**
 * A client with only the resources it is given, so that a bundle carries the transport and those
 * resources and nothing else. `new CartritaClient()` is the same with every resource.
 *
 * @example
 * ```ts
 * import { createClient } from '@cartrita/sdk/core';
 * import { Chat } from '@cartrita/sdk/chat';
 *
 * const client = createClient({ baseURL: 'https://chat.example.com', clientSecret, resources: { chat: Chat } });
 * const stream = await client.chat.stream({ message: 'Hello' });
 * for await (const frame of stream) if (frame.type === 'chunk') output.append(frame.content);
 * ```
 */
export const createClient = <Resources extends Record<string, ResourceClass>>(
  options: CreateClientOptions<Resources>,
): Client<Resources> => {
  const { resources, ...rest } = options;
  const transport = createTransport(rest);
  const client: Record<string, unknown> = { transport };
  for (const [name, Resource] of Object.entries(resources)) {
    if (name === 'transport') throw new TypeError('A resource may not be called "transport"');
    client[name] = new Resource(transport);
  }
  return client as Client<Resources>;
};
