/**
 * @module @cartrita/react: `<cartrita-chat>` for React. A typed component whose props are the
 * element's options and its events (`onReady`, `onError`, ...), whose ref is the element itself (its
 * methods: `sendUserMessage`, `setComposerValue`, `sendCustomAction`, `showHistory`, ...), and a hook
 * that holds that ref.
 *
 * @example
 * ```ts
 * import { CartritaChat, useCartritaChat } from '@cartrita/react';
 *
 * function Help() {
 *   const chat = useCartritaChat();
 *   return createElement(CartritaChat, {
 *     ref: chat.ref,
 *     options: { apiUrl: 'https://chat.example.com' },
 *     onResponseEnd: ({ threadId }) => console.log('answered in', threadId),
 *   });
 * }
 * ```
 */
import type { CartritaChat as CartritaChatElement, CartritaChatOptions } from '@cartrita/widget';
import { defineCartritaChat } from '@cartrita/widget/define';
import {
  createElement,
  forwardRef,
  type ReactElement,
  type Ref,
  type RefObject,
  useEffect,
  useImperativeHandle,
  useRef,
} from 'react';

/** The element's events, by the prop that receives them, and the name they are dispatched under. */
export const eventProps = {
  onReady: 'cartrita-ready',
  onError: 'cartrita-error',
  onMessageSend: 'cartrita-message-send',
  onResponseStart: 'cartrita-response-start',
  onResponseEnd: 'cartrita-response-end',
  onThreadChange: 'cartrita-thread-change',
  onThreadLoadStart: 'cartrita-thread-load-start',
  onThreadLoadEnd: 'cartrita-thread-load-end',
  onEffect: 'cartrita-effect',
  onToolCall: 'cartrita-tool-call',
  onToolChange: 'cartrita-tool-change',
  onAction: 'cartrita-action',
  onToggle: 'cartrita-toggle',
  onHistoryToggle: 'cartrita-history-toggle',
  onLog: 'cartrita-log',
  onDeeplink: 'cartrita-deeplink',
} as const satisfies Record<string, keyof GlobalEventHandlersEventMap>;

type EventProps = {
  [Prop in keyof typeof eventProps]?:
    | ((
        detail: GlobalEventHandlersEventMap[(typeof eventProps)[Prop]] extends { detail: infer D }
          ? D
          : never,
        event: GlobalEventHandlersEventMap[(typeof eventProps)[Prop]],
      ) => void)
    | undefined;
};

/** The props of {@link CartritaChat}. */
export interface CartritaChatProps extends EventProps {
  /** The element's options (see the widget's `CartritaChatOptions`); set as a whole when they change. */
  options?: CartritaChatOptions | undefined;
  /** Launcher mode: a floating button that opens the chat. */
  launcher?: boolean | undefined;
  className?: string | undefined;
  id?: string | undefined;
}

/**
 * `<cartrita-chat>` as a React component. The ref is the element, so its methods are the
 * component's methods.
 */
export const CartritaChat = forwardRef(function CartritaChat(
  props: CartritaChatProps,
  ref: Ref<CartritaChatElement | null>,
): ReactElement {
  const element = useRef<CartritaChatElement | null>(null);
  useImperativeHandle(ref, () => element.current as CartritaChatElement, []);
  // The latest handlers, read when an event fires, so that new functions need no new listeners.
  const handlers = useRef(props);
  handlers.current = props;
  useEffect(() => {
    defineCartritaChat();
  }, []);
  useEffect(() => {
    const target = element.current;
    if (!target) return;
    const listeners = Object.entries(eventProps).map(([prop, type]) => {
      const listener = (event: Event) => {
        const handler = handlers.current[prop as keyof EventProps] as
          | ((detail: unknown, event: Event) => void)
          | undefined;
        handler?.((event as CustomEvent).detail, event);
      };
      target.addEventListener(type, listener);
      return () => target.removeEventListener(type, listener);
    });
    return () => {
      for (const remove of listeners) remove();
    };
  }, []);
  useEffect(() => {
    if (element.current && props.options) element.current.options = props.options;
  }, [props.options]);
  // React 19 sets the properties a custom element has (`launcher`), and attributes otherwise.
  return createElement('cartrita-chat', {
    ref: element,
    className: props.className,
    id: props.id,
    launcher: props.launcher,
  });
});

/** The element's methods, through the ref that {@link useCartritaChat} gives the component. */
export interface CartritaChatControl {
  ref: RefObject<CartritaChatElement | null>;
  /** The element, once it is mounted. */
  readonly element: CartritaChatElement | null;
}

/** A ref for {@link CartritaChat}, and the element behind it. */
export const useCartritaChat = (): CartritaChatControl => {
  const ref = useRef<CartritaChatElement | null>(null);
  return {
    ref,
    get element() {
      return ref.current;
    },
  };
};
