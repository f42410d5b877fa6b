/** One tenant's periods, newest month first; a bookkeeper closes an open one (a provider admin reopens it, by the API). */
import "./i18n";
import { Badge, Button, Stack, Table } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useTranslation } from "react-i18next";
import { errorMessage, QueryState } from "../components/QueryState";
import { monthLabel } from "../portal/months";
import { WithBooks } from "./BooksSection";
import { NS } from "./i18n";
import { type BooksScope, type Period, useClosePeriod, usePeriods } from "./queries";

export function Component() {
  return <WithBooks>{(scope) => <Periods scope={scope} />}</WithBooks>;
}

function Periods({ scope }: { scope: BooksScope }) {
  const { t, i18n } = useTranslation(NS);
  const periods = usePeriods(scope);
  return (
    <Stack gap="sm">
      <QueryState query={periods} empty={(page) => !page.items?.length} emptyText={t("periods.empty")}>
        {(page) => (
          <Table striped verticalSpacing="xs" maw={560} data-testid="books-periods">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("periods.month")}</Table.Th>
                <Table.Th>{t("periods.status")}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(page.items ?? []).map((period) => (
                <Table.Tr key={period.id} data-month={period.month}>
                  <Table.Td>{monthLabel(period.month, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={period.status === "open" ? "teal" : "gray"}>
                      {t(`status.${period.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{period.status === "open" && <CloseButton scope={scope} period={period} />}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </Stack>
  );
}

function CloseButton({ scope, period }: { scope: BooksScope; period: Period }) {
  const { t, i18n } = useTranslation(NS);
  const close = useClosePeriod(scope);
  const month = monthLabel(period.month, i18n.language);
  return (
    <Button
      size="compact-sm"
      variant="light"
      color="orange"
      loading={close.isPending}
      aria-label={t("periods.closeOf", { month })}
      onClick={() =>
        close.mutate(period, {
          onSuccess: () => notifications.show({ color: "teal", message: t("periods.closed", { month }) }),
          onError: (error) => notifications.show({ color: "red", message: errorMessage(error, t("periods.close")) }),
        })
      }
    >
      {t("periods.close")}
    </Button>
  );
}
