/**
 * Stripe.js, loaded once per page from where the API says it is (Stripe's own, or a stand-in such as
 * localstripe's in the tests), and the few parts of it the card form uses. The card number is typed
 * into Stripe's element and goes to Stripe; our API only ever sees the SetupIntent's id.
 */

/** A card field Stripe.js draws (inside its own frame on Stripe's side). */
export interface CardElement {
  mount(target: HTMLElement): void;
  on(event: "change", handler: (event?: { complete?: boolean; error?: { message: string } }) => void): void;
  destroy(): void;
}

export interface StripeError {
  message?: string;
  code?: string;
  decline_code?: string;
}

export interface SetupResult {
  error?: StripeError | null;
  setupIntent?: { id: string; status: string };
}

export interface StripeJs {
  elements(options?: { locale?: string }): { create(type: "card", options?: object): CardElement };
  confirmCardSetup(clientSecret: string, data: { payment_method: { card: CardElement } }): Promise<SetupResult>;
}

type StripeFactory = (publishableKey: string, options?: { locale?: string }) => StripeJs;

declare global {
  interface Window {
    Stripe?: StripeFactory;
  }
}

const loading = new Map<string, Promise<StripeFactory>>();

/** Stripe's factory; the script is added to the page the first time only (a failed load may be tried again). */
export function loadStripeJs(url: string): Promise<StripeFactory> {
  const known = loading.get(url);
  if (known) return known;
  const promise = new Promise<StripeFactory>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.async = true;
    script.onload = () => (window.Stripe ? resolve(window.Stripe) : reject(new Error(`${url} did not define Stripe`)));
    script.onerror = () => reject(new Error(`Stripe.js could not be loaded from ${url}`));
    document.head.appendChild(script);
  });
  promise.catch(() => loading.delete(url));
  loading.set(url, promise);
  return promise;
}

/** Stripe's decline codes the form words itself (in the reader's language); others show Stripe's message. */
const WORDED = ["card_declined", "expired_card", "incorrect_cvc", "insufficient_funds", "processing_error"] as const;
export type WordedError = (typeof WORDED)[number];

export function wordedError(error: StripeError): WordedError | null {
  const code = error.decline_code && (WORDED as readonly string[]).includes(error.decline_code) ? error.decline_code : error.code;
  return code && (WORDED as readonly string[]).includes(code) ? (code as WordedError) : null;
}
