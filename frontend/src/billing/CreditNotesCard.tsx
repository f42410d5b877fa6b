/** A tenant's credit notes, newest first, each with the invoice it corrects and its PDF. */
import { Badge, Button, Card, Table, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useTranslation } from "react-i18next";
import { QueryState } from "../components/QueryState";
import { formatDate } from "../lib/format";
import { NS } from "./i18n";
import { useCreditNotes, usePdfDownload } from "./invoiceQueries";
import { formatMoney } from "./money";

export function CreditNotesCard({ tenantId, timeZone }: { tenantId: string | null; timeZone: string }) {
  const { t, i18n } = useTranslation(NS);
  const notes = useCreditNotes(tenantId);
  const pdf = usePdfDownload(tenantId);
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="billing-credit-notes-title">
      <Title order={3} size="h4" id="billing-credit-notes-title" mb="sm">
        {t("creditNotes.title")}
      </Title>
      <QueryState query={notes} empty={(page) => !page.items.length} emptyText={t("creditNotes.none")}>
        {(page) => (
          <Table.ScrollContainer minWidth={600} type="native">
            <Table verticalSpacing="xs" data-testid="credit-notes-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("creditNotes.number")}</Table.Th>
                  <Table.Th>{t("creditNotes.invoice")}</Table.Th>
                  <Table.Th>{t("creditNotes.reason")}</Table.Th>
                  <Table.Th>{t("creditNotes.issuedAt")}</Table.Th>
                  <Table.Th ta="end">{t("creditNotes.total")}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.items.map((note) => (
                  <Table.Tr key={note.id} data-credit-note={note.number}>
                    <Table.Td>
                      {note.number}{" "}
                      {note.full && (
                        <Badge size="xs" variant="light">
                          {t("creditNotes.full")}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{note.invoice_number}</Table.Td>
                    <Table.Td>{note.reason}</Table.Td>
                    <Table.Td>{formatDate(note.issued_at, i18n.language, timeZone)}</Table.Td>
                    <Table.Td ta="end">{formatMoney(note.total, note.currency, i18n.language)}</Table.Td>
                    <Table.Td>
                      <Button
                        size="compact-sm"
                        variant="default"
                        aria-label={t("invoices.pdfOf", { name: note.number })}
                        onClick={() =>
                          pdf.mutate(
                            { kind: "credit-note", id: note.id, name: note.number },
                            {
                              onError: (error) =>
                                notifications.show({ color: "red", title: t("invoices.pdfFailed"), message: error.message }),
                            },
                          )
                        }
                      >
                        {t("invoices.pdf")}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Card>
  );
}
