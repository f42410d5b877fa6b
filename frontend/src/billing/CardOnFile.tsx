/**
 * The card invoices are charged to: brand, last four digits and expiry, as Stripe keeps them (the
 * card number never reaches us). Where card payments are not set up the API answers 503, said plainly.
 */
import { Card, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { NS } from "./i18n";
import { usePaymentMethod } from "./invoiceQueries";

export function CardOnFile({ tenantId }: { tenantId: string | null }) {
  const { t } = useTranslation(NS);
  const method = usePaymentMethod(tenantId);
  const card = method.data?.card;
  let body: string;
  if (method.isPending) body = t("card.loading");
  else if (method.error) body = t("card.unavailable");
  else if (!card) body = t("card.none");
  else
    body = t("card.onFile", {
      brand: card.brand.toUpperCase(),
      last4: card.last4,
      expiry: `${String(card.exp_month).padStart(2, "0")}/${card.exp_year}`,
    });
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="billing-card-title">
      <Title order={3} size="h4" id="billing-card-title" mb="xs">
        {t("card.title")}
      </Title>
      <Text size="sm" data-testid="card-on-file">
        {body}
      </Text>
    </Card>
  );
}
