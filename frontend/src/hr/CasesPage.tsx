/** A client's onboarding and offboarding cases, newest first, each with how many of its tasks are open. */
import "./i18n";
import { Anchor, Badge, Progress, Table } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { QueryState } from "../components/QueryState";
import { formatDate } from "../lib/format";
import { caseLink, progress } from "./cases";
import { WithTenant } from "./HrSection";
import { NS } from "./i18n";
import { type HrScope, useCases } from "./queries";

export function Component() {
  return <WithTenant>{(scope) => <Cases scope={scope} />}</WithTenant>;
}

function Cases({ scope }: { scope: HrScope }) {
  const { t, i18n } = useTranslation(NS);
  const cases = useCases(scope, {});
  return (
    <QueryState query={cases} empty={(data) => data.items.length === 0} emptyText={t("cases.empty")}>
      {(data) => (
        <Table.ScrollContainer minWidth={640}>
          <Table striped data-testid="hr-cases">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("cases.employee")}</Table.Th>
                <Table.Th>{t("cases.kind")}</Table.Th>
                <Table.Th>{t("cases.checklist")}</Table.Th>
                <Table.Th>{t("cases.day")}</Table.Th>
                <Table.Th>{t("cases.progress")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((found) => (
                <Table.Tr key={found.id}>
                  <Table.Td>
                    <Anchor component={Link} to={caseLink(scope.inConsole, found.work_item_id)}>
                      {found.employee_name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{t(`cases.kind_${found.kind}`)}</Badge>
                  </Table.Td>
                  <Table.Td>{found.template_name}</Table.Td>
                  <Table.Td>{formatDate(found.reference_date, i18n.language, "UTC")}</Table.Td>
                  <Table.Td w={180}>
                    {t("cases.remaining", { count: found.open_tasks })}
                    <Progress value={progress(found.tasks)} size="sm" mt={4} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </QueryState>
  );
}
