/** One tenant's periods, newest month first: a bookkeeper closes one through its close checklist; a provider admin reopens one. */
import "./i18n";
import { Badge, Stack, Table } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { QueryState } from "../components/QueryState";
import { monthLabel } from "../portal/months";
import { WithBooks } from "./BooksSection";
import { NS } from "./i18n";
import { useOpenCloses } from "./documentsQueries";
import { PeriodCloseActions } from "./PeriodCloseActions";
import { type BooksScope, usePeriods } from "./queries";

export function Component() {
  return <WithBooks>{(scope) => <Periods scope={scope} />}</WithBooks>;
}

function Periods({ scope }: { scope: BooksScope }) {
  const { t, i18n } = useTranslation(NS);
  const periods = usePeriods(scope);
  const closes = useOpenCloses(scope);
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
                  <Table.Td>
                    <PeriodCloseActions scope={scope} period={period} close={closes.data?.get(period.id)} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </Stack>
  );
}
