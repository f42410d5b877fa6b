/**
 * A tenant's invoices. The portal (tenantId null) downloads each PDF and pays what is due with the
 * card on file (only where card payments are set up: otherwise CardOnFile says to pay by bank
 * transfer), showing a payment in flight as processing until Stripe settles it. The console
 * (a provider admin naming the tenant) also finalizes drafts, issues credit notes and records bank
 * transfers (InvoiceActions.tsx).
 */
import { Badge, Button, Card, Group, Table, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useTranslation } from "react-i18next";
import { QueryState } from "../components/QueryState";
import { formatDate } from "../lib/format";
import { NS } from "./i18n";
import { InvoiceActions } from "./InvoiceActions";
import { usePay, usePaymentMethod, usePayments, usePdfDownload, useInvoices } from "./invoiceQueries";
import { canPay, type Invoice, paymentState } from "./invoices";
import { formatMoney } from "./money";

const STATUS_COLOR: Record<Invoice["status"], string> = {
  draft: "gray",
  open: "blue",
  paid: "green",
  void: "dark",
  uncollectible: "red",
};

const PAYMENT_COLOR = { processing: "yellow", failed: "red", succeeded: "green" } as const;

interface InvoicesCardProps {
  tenantId: string | null;
  timeZone: string;
  console?: boolean;
}

export function InvoicesCard({ tenantId, timeZone, console = false }: InvoicesCardProps) {
  const { t } = useTranslation(NS);
  const invoices = useInvoices(tenantId);
  const method = usePaymentMethod(tenantId);
  const cardPayments = method.data?.card_payments ?? false;
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="billing-invoices-title">
      <Title order={3} size="h4" id="billing-invoices-title" mb="sm">
        {t("invoices.title")}
      </Title>
      <QueryState query={invoices} empty={(page) => !page.items.length} emptyText={t("invoices.none")}>
        {(page) => (
          <Table.ScrollContainer minWidth={720} type="native">
            <Table verticalSpacing="xs" data-testid="invoices-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("invoices.number")}</Table.Th>
                  <Table.Th>{t("invoices.period")}</Table.Th>
                  <Table.Th>{t("invoices.status")}</Table.Th>
                  <Table.Th ta="end">{t("invoices.total")}</Table.Th>
                  <Table.Th ta="end">{t("invoices.amountDue")}</Table.Th>
                  <Table.Th>{t("invoices.dueAt")}</Table.Th>
                  <Table.Th>{t("invoices.actions")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.items.map((invoice) => (
                  <InvoiceRow
                    key={invoice.id}
                    invoice={invoice}
                    tenantId={tenantId}
                    timeZone={timeZone}
                    console={console}
                    cardPayments={cardPayments}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Card>
  );
}

interface InvoiceRowProps extends Required<InvoicesCardProps> {
  invoice: Invoice;
  cardPayments: boolean;
}

function InvoiceRow({ invoice, tenantId, timeZone, console, cardPayments }: InvoiceRowProps) {
  const { t, i18n } = useTranslation(NS);
  const language = i18n.language;
  const money = (minor: number) => formatMoney(minor, invoice.currency, language);
  const payments = usePayments(tenantId, invoice.id);
  const state = paymentState(payments.data?.items ?? []);
  const pay = usePay(tenantId);
  const pdf = usePdfDownload(tenantId);
  const name = invoice.number ?? t("invoices.draft");
  const failed = (title: string) => (error: Error) => notifications.show({ color: "red", title, message: error.message });
  return (
    <Table.Tr data-invoice={invoice.number ?? invoice.id} data-status={invoice.status}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {name}
        </Text>
      </Table.Td>
      <Table.Td>{invoice.period}</Table.Td>
      <Table.Td>
        <Group gap={4}>
          <Badge color={STATUS_COLOR[invoice.status]} variant="light" data-testid="invoice-status">
            {t(`invoices.statuses.${invoice.status}`)}
          </Badge>
          {state !== "none" && (
            <Badge color={PAYMENT_COLOR[state]} variant="outline" data-testid="payment-state">
              {t(`invoices.payment.${state}`)}
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td ta="end">{money(invoice.total)}</Table.Td>
      <Table.Td ta="end" data-testid="invoice-amount-due">
        {money(invoice.amount_due)}
      </Table.Td>
      <Table.Td>{invoice.due_at ? formatDate(invoice.due_at, language, timeZone) : "—"}</Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Button
            size="compact-sm"
            variant="default"
            loading={pdf.isPending}
            aria-label={t("invoices.pdfOf", { name })}
            onClick={() =>
              pdf.mutate({ kind: "invoice", id: invoice.id, name }, { onError: failed(t("invoices.pdfFailed")) })
            }
          >
            {t("invoices.pdf")}
          </Button>
          {!console && cardPayments && canPay(invoice) && state !== "processing" && (
            <Button
              size="compact-sm"
              loading={pay.isPending}
              onClick={() => pay.mutate(invoice.id, { onError: failed(t("invoices.payFailed")) })}
            >
              {state === "failed" ? t("invoices.payAgain") : t("invoices.pay")}
            </Button>
          )}
          {console && tenantId && <InvoiceActions invoice={invoice} tenantId={tenantId} />}
        </Group>
        {state === "failed" && (
          <Text size="xs" c="red">
            {payments.data?.items.find((p) => p.status === "failed")?.failure_message ?? t("invoices.payment.failed")}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
