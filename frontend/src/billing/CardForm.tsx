/**
 * A client admin saves a card: our API makes a SetupIntent and says where Stripe.js is; Stripe.js
 * draws the card field (the number never reaches us), confirms the setup with Stripe, and then our
 * API asks Stripe how the setup stands and keeps the card, which the card on file then shows. A
 * declined card is said plainly (in the reader's language for Stripe's usual decline codes) and
 * the form stays open to try another; each try after a refusal starts a fresh SetupIntent.
 */
import { Alert, Box, Button, Group, Stack, Text } from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../components/QueryState";
import { NS } from "./i18n";
import { useConfirmCard, useStartCardSetup } from "./invoiceQueries";
import { type CardElement, loadStripeJs, type StripeJs, wordedError } from "./stripeJs";

type Setup = { stripe: StripeJs; card: CardElement; clientSecret: string | null };

export function CardForm({ onDone }: { onDone: () => void }) {
  const { t, i18n } = useTranslation(NS);
  const { mutateAsync: startSetup } = useStartCardSetup();
  const confirm = useConfirmCard();
  const field = useRef<HTMLDivElement>(null);
  const setup = useRef<Setup | null>(null);
  const [ready, setReady] = useState(false);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  // On opening the form (and in a new language): a SetupIntent, Stripe.js (loaded once per page) and its card field.
  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const started = await startSetup();
        const factory = await loadStripeJs(started.stripe_js_url);
        if (cancelled || !field.current) return;
        const stripe = factory(started.publishable_key, { locale: i18n.language });
        const card = stripe.elements({ locale: i18n.language }).create("card", { hidePostalCode: true });
        card.mount(field.current);
        card.on("change", (event) => setProblem(event?.error?.message ?? null));
        setup.current = { stripe, card, clientSecret: started.client_secret };
        setReady(true);
      } catch (error) {
        if (!cancelled) setProblem(errorMessage(error, t("cardForm.unavailable")));
      }
    })();
    return () => {
      cancelled = true;
      setup.current?.card.destroy();
      setup.current = null;
    };
  }, [startSetup, i18n.language, t]);

  const save = async () => {
    const current = setup.current;
    if (!current) return;
    setSaving(true);
    setProblem(null);
    try {
      // A refused setup is spent (Stripe may cancel it): a new try gets a new one.
      const clientSecret = current.clientSecret ?? (await startSetup()).client_secret;
      current.clientSecret = null;
      const result = await current.stripe.confirmCardSetup(clientSecret, { payment_method: { card: current.card } });
      if (result.error || !result.setupIntent) {
        const worded = result.error ? wordedError(result.error) : null;
        setProblem(worded ? t(`cardForm.declined.${worded}`) : (result.error?.message ?? t("cardForm.failed")));
        return;
      }
      await confirm.mutateAsync(result.setupIntent.id);
      onDone();
    } catch (error) {
      setProblem(errorMessage(error, t("cardForm.failed")));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack gap="sm" data-testid="card-form">
      <Text size="sm" c="dimmed">
        {t("cardForm.intro")}
      </Text>
      {/* Stripe's field reads left to right (card numbers do), also in an Arabic page. */}
      <Box
        ref={field}
        dir="ltr"
        data-testid="card-field"
        aria-label={t("cardForm.field")}
        p="xs"
        style={{ border: "1px solid var(--mantine-color-default-border)", borderRadius: 4, minHeight: 40 }}
      />
      {!ready && !problem && (
        <Text size="sm" c="dimmed">
          {t("cardForm.loading")}
        </Text>
      )}
      {problem && (
        <Alert color="red" role="alert" data-testid="card-problem" title={t("cardForm.problemTitle")}>
          {problem}
        </Alert>
      )}
      <Group>
        <Button onClick={() => void save()} loading={saving} disabled={!ready}>
          {t("cardForm.save")}
        </Button>
        <Button variant="default" onClick={onDone} disabled={saving}>
          {t("cardForm.cancel")}
        </Button>
      </Group>
    </Stack>
  );
}
