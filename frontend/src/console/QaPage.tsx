/**
 * QA: the finished items waiting for the caller's review (never their own work), each opening in
 * the workspace where the review is given; for provider admins also how often each agent's work
 * comes back.
 */
import { Card, Group, Pagination, Progress, Stack, Table, Text, Title, Badge } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { useMe } from "../auth/session";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { ItemTable } from "../items/ItemTable";
import { formatNumber } from "../lib/format";
import { formatShare } from "../lib/percent";

const PAGE_SIZE = 25;
// Above this share of work sent back, an agent's rate is shown as a concern.
const REWORK_CONCERN = 0.2;

export function Component() {
  const { t } = useTranslation("console");
  const me = useMe();
  return (
    <>
      <PageHeader title={t("qa.title")} />
      <Stack gap="md">
        <ReviewList />
        {me.role === "provider_admin" && <QualityTable />}
      </Stack>
    </>
  );
}

function ReviewList() {
  const { t, i18n } = useTranslation("console");
  const [page, setPage] = useState(1);
  const reviews = useQuery({
    queryKey: ["qa", "reviews", page],
    queryFn: () =>
      unwrap(api.GET("/api/v1/qa/reviews", { params: { query: { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } } })),
    placeholderData: keepPreviousData,
  });
  const total = reviews.data?.total ?? 0;
  return (
    <Card withBorder padding="md" data-testid="qa-reviews">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          {t("qa.waiting")}
        </Title>
        {reviews.data && (
          <Badge variant="light" size="lg" data-testid="qa-review-count">
            {formatNumber(total, i18n.language)}
          </Badge>
        )}
      </Group>
      <QueryState query={reviews} empty={(data) => !data.items?.length} emptyText={t("qa.none")}>
        {(data) => <ItemTable items={data.items ?? []} linkBase="/console/items" showTenant />}
      </QueryState>
      {total > PAGE_SIZE && (
        <Group justify="center" mt="md">
          <Pagination
            total={Math.ceil(total / PAGE_SIZE)}
            value={page}
            onChange={setPage}
            getControlProps={(control) => ({
              "aria-label": control === "previous" ? t("common:common.previous") : t("common:common.next"),
            })}
          />
        </Group>
      )}
    </Card>
  );
}

function QualityTable() {
  const { t, i18n } = useTranslation("console");
  const quality = useQuery({
    queryKey: ["qa", "quality"],
    queryFn: () => unwrap(api.GET("/api/v1/qa/quality")),
  });
  const number = (value: number) => formatNumber(value, i18n.language);
  return (
    <Card withBorder padding="md" data-testid="qa-quality">
      <Title order={3} size="h4" mb={4}>
        {t("qa.quality")}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t("qa.qualityHelp")}
      </Text>
      <QueryState query={quality} empty={(data) => data.length === 0} emptyText={t("qa.noReviews")}>
        {(data) => (
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("qa.agent")}</Table.Th>
                  <Table.Th ta="end">{t("qa.reviewed")}</Table.Th>
                  <Table.Th ta="end">{t("qa.accepted")}</Table.Th>
                  <Table.Th ta="end">{t("qa.rejected")}</Table.Th>
                  <Table.Th w="30%">{t("qa.reworkRate")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.map((agent) => {
                  const concern = agent.rework_rate > REWORK_CONCERN;
                  return (
                    <Table.Tr key={agent.agent_id}>
                      <Table.Td>{agent.agent_name}</Table.Td>
                      <Table.Td ta="end">{number(agent.reviewed)}</Table.Td>
                      <Table.Td ta="end">{number(agent.accepted)}</Table.Td>
                      <Table.Td ta="end">{number(agent.rejected)}</Table.Td>
                      <Table.Td>
                        <Group gap="sm" wrap="nowrap">
                          <Progress
                            value={agent.rework_rate * 100}
                            color={concern ? "red" : "teal"}
                            flex={1}
                            aria-hidden
                          />
                          <Text size="sm" fw={concern ? 700 : undefined} c={concern ? "red" : undefined} miw={48}>
                            {formatShare(agent.rework_rate, i18n.language)}
                          </Text>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Card>
  );
}
