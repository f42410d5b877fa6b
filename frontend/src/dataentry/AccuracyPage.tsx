/**
 * The console's keying accuracy (provider staff): for each agent, how many of the fields they keyed
 * differ from the value finally accepted (error rate = differing fields ÷ fields keyed), and how
 * often the two blind passes agree, per field and per batch. Only accepted double-keyed records count.
 */
import "./i18n";
import { Card, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { formatNumber } from "../lib/format";
import { formatShare } from "../lib/percent";
import { NS } from "./i18n";
import { AgreementTable } from "./AccuracyTables";
import { useAccuracy, useBatchNames } from "./queries";

export function Component() {
  const { t, i18n } = useTranslation(NS);
  const accuracy = useAccuracy();
  const batches = useBatchNames();
  const number = (value: number) => formatNumber(value, i18n.language);
  const share = (value: number | null | undefined) => formatShare(value, i18n.language);
  return (
    <>
      <PageHeader title={t("accuracy.title")} />
      <QueryState query={accuracy}>
        {(data) => (
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {t("accuracy.intro")}
            </Text>
            <Card withBorder>
              <Title order={4} mb="sm">
                {t("accuracy.agents")}
              </Title>
              {data.agents.length === 0 ? (
                <Text size="sm" c="dimmed">{t("accuracy.noAgents")}</Text>
              ) : (
                <Table.ScrollContainer minWidth={640} type="native">
                  <Table striped data-testid="accuracy-agents">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t("accuracy.agent")}</Table.Th>
                        <Table.Th>{t("accuracy.recordsKeyed")}</Table.Th>
                        <Table.Th>{t("accuracy.fieldsKeyed")}</Table.Th>
                        <Table.Th>{t("accuracy.fieldsDiffering")}</Table.Th>
                        <Table.Th>{t("accuracy.errorRate")}</Table.Th>
                        <Table.Th>{t("accuracy.accuracy")}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.agents.map((agent) => (
                        <Table.Tr key={agent.agent_id} data-testid="accuracy-agent" data-agent={agent.agent_id}>
                          <Table.Td>
                            <bdi>{agent.name}</bdi>
                          </Table.Td>
                          <Table.Td>{number(agent.records_keyed)}</Table.Td>
                          <Table.Td>{number(agent.fields_keyed)}</Table.Td>
                          <Table.Td>{number(agent.fields_differing)}</Table.Td>
                          <Table.Td data-testid="agent-error-rate">{share(agent.error_rate)}</Table.Td>
                          <Table.Td data-testid="agent-accuracy">{share(agent.accuracy)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Card>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Card withBorder>
                <Title order={4} mb="sm">
                  {t("accuracy.fields")}
                </Title>
                <AgreementTable
                  testId="accuracy-fields"
                  rows={data.fields.map((field) => ({ key: field.field, name: field.field, ...field }))}
                />
              </Card>
              <Card withBorder>
                <Title order={4} mb="sm">
                  {t("accuracy.batches")}
                </Title>
                <AgreementTable
                  testId="accuracy-batches"
                  rows={data.batches.map((batch) => ({
                    key: batch.batch_id,
                    name: batches.data?.get(batch.batch_id)?.filename ?? batch.batch_id,
                    compared: batch.fields_compared,
                    agreed: batch.fields_agreed,
                    agreement: batch.agreement,
                  }))}
                />
              </Card>
            </SimpleGrid>
          </Stack>
        )}
      </QueryState>
    </>
  );
}
