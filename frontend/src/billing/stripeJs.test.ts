import { afterEach, describe, expect, it } from "vitest";
import { loadStripeJs, wordedError } from "./stripeJs";

describe("loadStripeJs", () => {
  afterEach(() => {
    document.head.innerHTML = "";
    delete window.Stripe;
  });

  it("adds the script to the page once however often it is asked for", async () => {
    const url = "https://stripe.example/v3/";
    const first = loadStripeJs(url);
    const second = loadStripeJs(url);
    expect(second).toBe(first);
    const scripts = document.head.querySelectorAll(`script[src="${url}"]`);
    expect(scripts).toHaveLength(1);
    const factory = () => ({}) as never;
    window.Stripe = factory;
    scripts[0].dispatchEvent(new Event("load"));
    await expect(first).resolves.toBe(factory);
  });

  it("says so when the script cannot be loaded, and tries again next time", async () => {
    const url = "https://stripe.example/missing/";
    const failed = loadStripeJs(url);
    document.head.querySelector("script")?.dispatchEvent(new Event("error"));
    await expect(failed).rejects.toThrow("could not be loaded");
    expect(loadStripeJs(url)).not.toBe(failed);
  });
});

describe("wordedError", () => {
  it("words a declined card by its decline code first, then its code", () => {
    expect(wordedError({ code: "card_declined", decline_code: "insufficient_funds" })).toBe("insufficient_funds");
    expect(wordedError({ code: "card_declined", decline_code: "do_not_honor" })).toBe("card_declined");
    expect(wordedError({ code: "card_declined" })).toBe("card_declined");
  });

  it("leaves other errors to Stripe's message", () => {
    expect(wordedError({ code: "setup_intent_unexpected_state", message: "x" })).toBeNull();
    expect(wordedError({ message: "network" })).toBeNull();
  });
});
