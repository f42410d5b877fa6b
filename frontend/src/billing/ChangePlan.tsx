/**
 * Changing a tenant's plan: pick one, read what it would do (GET /subscription/preview: when it takes
 * effect and, for an upgrade, the period's prorated charges), then confirm (PUT /subscription). The
 * server's refusal (409: a service with open work would be dropped) shows inside the dialog.
 */
import { Alert, Button, Group, Loader, Modal, Radio, Stack, Table, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formProblems } from "../admin/problems";
import { ApiError } from "../api/client";
import { ErrorAlert } from "../components/QueryState";
import { formatDate, formatNumber } from "../lib/format";
import { monthLabel } from "../portal/months";
import { NS } from "./i18n";
import { formatMoney, formatPrice } from "./money";
import { type PlanChange, useChangePlan, usePlanPreview } from "./queries";

export interface PlanChoice {
  code: string;
  name: string;
  /** Its base fee in words ("$999.00 a month"), shown under its name. */
  price?: string;
}

interface ChangePlanProps {
  /** The tenant whose plan changes: null for the caller's own. */
  tenantId: string | null;
  current: string;
  /** The plan a downgrade is scheduled to (choosing the current plan again cancels it). */
  pending: string | null;
  choices: PlanChoice[];
  timeZone: string;
  opened: boolean;
  onClose: () => void;
}

export function ChangePlanDialog({ tenantId, current, pending, choices, timeZone, opened, onClose }: ChangePlanProps) {
  const { t, i18n } = useTranslation(NS);
  const { t: tc } = useTranslation();
  const [plan, setPlan] = useState<string | null>(null);
  const preview = usePlanPreview(tenantId, opened ? plan : null);
  const change = useChangePlan(tenantId);
  const nameOf = (code: string) => choices.find((choice) => choice.code === code)?.name ?? code;

  const close = () => {
    setPlan(null);
    change.reset();
    onClose();
  };
  const confirm = () =>
    change.mutate(plan as string, {
      onSuccess: (done) => {
        const date = formatDate(done.effective_at, i18n.language, timeZone);
        notifications.show({
          color: "teal",
          message:
            done.kind === "downgrade"
              ? t("change.scheduled", { plan: nameOf(done.plan), date })
              : done.kind === "none"
                ? t("change.kept", { plan: nameOf(done.plan) })
                : t("change.done", { plan: nameOf(done.plan) }),
        });
        close();
      },
    });

  // The server names the plan in its refusals ("plan: Starter does not include ..."): a preview's shows at the
  // choice, a change's (409, open work) in an alert, announced where the person just acted.
  const previewProblem = formProblems(preview.error, ["plan"]).fields.plan;
  const refusal = formProblems(change.error, ["plan"]).fields.plan;
  const ready = preview.data?.plan === plan && (preview.data.kind !== "none" || pending !== null);
  return (
    <Modal opened={opened} onClose={close} title={t("change.title")} centered size="lg">
      <Stack>
        <Radio.Group
          label={t("change.plan")}
          description={t("change.choose")}
          value={plan}
          error={previewProblem}
          onChange={(value) => {
            change.reset();
            setPlan(value);
          }}
        >
          <Stack gap="xs" mt="xs">
            {choices.map((choice) => (
              <Radio
                key={choice.code}
                value={choice.code}
                label={choice.code === current ? `${choice.name} ${t("change.current")}` : choice.name}
                description={choice.price}
                data-autofocus={choice.code === choices[0]?.code || undefined}
              />
            ))}
          </Stack>
        </Radio.Group>
        {plan && preview.isFetching && !preview.data && (
          <Group gap="xs" aria-live="polite">
            <Loader size="xs" />
            <Text size="sm">{t("change.previewing")}</Text>
          </Group>
        )}
        {plan && preview.error && !previewProblem && (
          <ErrorAlert error={preview.error} onRetry={() => void preview.refetch()} />
        )}
        {plan && preview.data?.plan === plan && (
          <Preview change={preview.data} timeZone={timeZone} pending={pending && nameOf(pending)} />
        )}
        {change.error && (
          <ErrorAlert
            error={
              refusal && change.error instanceof ApiError ? new ApiError(change.error.status, refusal) : change.error
            }
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {tc("common.cancel")}
          </Button>
          <Button onClick={confirm} disabled={!ready} loading={change.isPending}>
            {t("change.confirm")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function Preview({ change, timeZone, pending }: { change: PlanChange; timeZone: string; pending: string | null }) {
  const { t, i18n } = useTranslation(NS);
  const language = i18n.language;
  const date = formatDate(change.effective_at, language, timeZone);
  if (change.kind === "none") {
    return (
      <Alert color="gray" role="status" data-testid="plan-preview" data-kind="none">
        {pending ? t("change.cancelPending", { plan: pending }) : t("change.none")}
      </Alert>
    );
  }
  if (change.kind === "downgrade") {
    return (
      <Alert color="blue" role="status" data-testid="plan-preview" data-kind="downgrade">
        {t("change.downgrade", { date })}
      </Alert>
    );
  }
  const money = (minor: number) => formatMoney(minor, change.currency, language);
  return (
    <Stack gap="xs" data-testid="plan-preview" data-kind="upgrade">
      <Alert color="blue" role="status">
        {t("change.upgrade", { date })}
      </Alert>
      <Table.ScrollContainer minWidth={480} type="native">
        <Table verticalSpacing="xs">
          <Table.Caption>{t("change.prorated", { period: monthLabel(change.period, language) })}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("change.line")}</Table.Th>
              <Table.Th ta="end">{t("change.quantity")}</Table.Th>
              <Table.Th ta="end">{t("change.unitPrice")}</Table.Th>
              <Table.Th ta="end">{t("change.lineAmount")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {change.lines.map((line, index) => (
              <Table.Tr key={index}>
                <Table.Td>{line.description}</Table.Td>
                <Table.Td ta="end">{formatNumber(line.quantity, language)}</Table.Td>
                <Table.Td ta="end">{formatPrice(line.unit_price, change.currency, language)}</Table.Td>
                <Table.Td ta="end">{money(line.amount)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th colSpan={3}>{t("change.total")}</Table.Th>
              <Table.Th ta="end" data-testid="plan-preview-total">
                {money(change.total)}
              </Table.Th>
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
