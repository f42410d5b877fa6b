/**
 * The card invoices are charged to: brand, last four digits and expiry, as Stripe keeps them (the
 * card number never reaches us). On the portal a client admin adds a card, or replaces the one on file,
 * through Stripe.js (CardForm); where card payments are not set up (the API says card_payments: false)
 * no card form is offered, and the page says to pay by bank transfer instead.
 */
import { Button, Card, Group, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { CardForm } from "./CardForm";
import { NS } from "./i18n";
import { usePaymentMethod } from "./invoiceQueries";

export function CardOnFile({ tenantId }: { tenantId: string | null }) {
  const { t } = useTranslation(NS);
  const method = usePaymentMethod(tenantId);
  const [adding, setAdding] = useState(false);
  const card = method.data?.card;
  // Without Stripe configured a card form cannot work: no button, and the way to pay said instead.
  const cardsTaken = method.data?.card_payments ?? false;
  let body: string;
  if (method.isPending) body = t("card.loading");
  else if (method.error) body = t("card.unavailable");
  else if (!card) body = cardsTaken ? t("card.none") : t("card.notSetUp");
  else
    body = t("card.onFile", {
      brand: card.brand.toUpperCase(),
      last4: card.last4,
      expiry: `${String(card.exp_month).padStart(2, "0")}/${card.exp_year}`,
    });
  // Only the tenant's own admins enter a card (a provider admin's console names a tenant: tenantId set).
  const canAdd = tenantId === null && method.isSuccess && cardsTaken && !adding;
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="billing-card-title">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4" id="billing-card-title">
          {t("card.title")}
        </Title>
        {canAdd && (
          <Button size="compact-sm" variant="light" onClick={() => setAdding(true)}>
            {card ? t("card.replace") : t("card.add")}
          </Button>
        )}
      </Group>
      <Text size="sm" data-testid="card-on-file" mb={adding ? "sm" : 0}>
        {body}
      </Text>
      {adding && <CardForm onDone={() => setAdding(false)} />}
    </Card>
  );
}
