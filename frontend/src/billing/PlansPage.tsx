/** /console/plans: every plan tenants can be on, with its latest version's prices and what it includes. */
import "./i18n";
import { Badge, Card, Group, SimpleGrid, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { orderedPlans } from "../admin/planServices";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { formatNumber } from "../lib/format";
import { NS } from "./i18n";
import { planName } from "./plan";
import { PlanDetails } from "./PlanDetails";
import { usePlans } from "./queries";

export function Component() {
  const { t, i18n } = useTranslation(NS);
  const plans = usePlans();
  return (
    <>
      <PageHeader title={t("plans.title")} />
      <Text c="dimmed" size="sm" mt={-8} mb="md">
        {t("plans.intro")}
      </Text>
      <QueryState query={plans} empty={(found) => !found.length} emptyText={t("plans.empty")}>
        {(found) => (
          <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="md">
            {orderedPlans(found).map((plan) => (
              <Card key={plan.code} withBorder padding="md" component="article" aria-labelledby={`plan-${plan.code}`}>
                <Group justify="space-between" mb="sm" wrap="nowrap">
                  <Title order={3} size="h4" id={`plan-${plan.code}`}>
                    {planName(plan, t)}
                  </Title>
                  <Badge variant="light" color="gray">
                    {t("plan.version", { version: formatNumber(plan.version, i18n.language) })}
                  </Badge>
                </Group>
                <PlanDetails plan={plan} />
              </Card>
            ))}
          </SimpleGrid>
        )}
      </QueryState>
    </>
  );
}
