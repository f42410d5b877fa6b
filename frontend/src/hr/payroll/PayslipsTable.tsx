/**
 * A run's payslips line by line: each employee's gross, deductions and net, opened to show every
 * component (hidden ones marked, adjustments removable while the run is a draft). The checker marks a
 * payslip reviewed or adds an adjustment to it; each payslip's PDF downloads in English or Arabic.
 */
import { Badge, Button, Card, Group, Modal, NumberInput, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Fragment, useState } from "react";
import { useTranslation } from "react-i18next";
import { minorDigits } from "../../billing/money";
import { QueryState } from "../../components/QueryState";
import { formatNumber } from "../../lib/format";
import type { HrScope } from "../queries";
import { NS } from "./i18n";
import { amountToMinor, inputNumber, KINDS, lineName, linesByKind, moneyText, type Payslip, type PayrollRun } from "./payroll";
import { ProblemAlert } from "./ProblemAlert";
import { useAdjust, usePayslipPdf, usePayslips, useRemoveAdjustment, useReview } from "./queries";

interface Props {
  scope: HrScope;
  run: PayrollRun;
  /** The run is a draft: payslips can be reviewed and adjusted. */
  review: boolean;
}

export function PayslipsTable({ scope, run, review }: Props) {
  const { t, i18n } = useTranslation(NS);
  const payslips = usePayslips(scope, run);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [adjusting, setAdjusting] = useState<Payslip | null>(null);
  const markReviewed = useReview(scope, run.id);
  const removeAdjustment = useRemoveAdjustment(scope, run.id);
  const pdf = usePayslipPdf(scope, run);
  const money = (minor: number) => moneyText(minor, run.currency, i18n.language);
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  if (run.status === "computing") return null;
  return (
    <Card withBorder>
      <Title order={4} mb="sm">
        {t("run.payslips")}
      </Title>
      <ProblemAlert error={markReviewed.error ?? removeAdjustment.error ?? pdf.error} />
      <QueryState query={payslips} empty={(data) => data.items.length === 0} emptyText={t("slip.empty")}>
        {(data) => (
          <Table.ScrollContainer minWidth={900}>
            <Table data-testid="payslip-rows">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("slip.number")}</Table.Th>
                  <Table.Th>{t("slip.employee")}</Table.Th>
                  <Table.Th>{t("slip.days")}</Table.Th>
                  <Table.Th>{t("slip.gross")}</Table.Th>
                  <Table.Th>{t("slip.deductions")}</Table.Th>
                  <Table.Th>{t("slip.net")}</Table.Th>
                  <Table.Th>{t("slip.reviewed")}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((slip) => (
                  <Fragment key={slip.id}>
                    <Table.Tr data-testid={`payslip-${slip.employee_number}`}>
                      <Table.Td>{slip.number ?? "—"}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{slip.employee_name}</Text>
                        <Text size="xs" c="dimmed">
                          {slip.employee_number}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {t("run.outOf", {
                          done: formatNumber(slip.days_paid, i18n.language),
                          total: formatNumber(slip.days_in_period, i18n.language),
                        })}
                      </Table.Td>
                      <Table.Td>{money(slip.gross)}</Table.Td>
                      <Table.Td>{money(slip.deductions)}</Table.Td>
                      <Table.Td fw={600} data-testid={`payslip-net-${slip.employee_number}`}>
                        {money(slip.net)}
                      </Table.Td>
                      <Table.Td>
                        {slip.reviewed ? (
                          <Badge color="teal" variant="light" miw="fit-content">
                            {t("slip.reviewed")}
                          </Badge>
                        ) : review ? (
                          <Button
                            size="compact-xs"
                            variant="light"
                            loading={markReviewed.isPending && markReviewed.variables === slip.id}
                            onClick={() => markReviewed.mutate(slip.id)}
                            data-testid={`payslip-review-${slip.employee_number}`}
                          >
                            {t("slip.markReviewed")}
                          </Button>
                        ) : (
                          <Badge color="gray" variant="light" miw="fit-content">
                            {t("slip.notReviewed")}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            onClick={() => toggle(slip.id)}
                            data-testid={`payslip-details-${slip.employee_number}`}
                          >
                            {open.has(slip.id) ? t("slip.hideDetails") : t("slip.details")}
                          </Button>
                          {review && (
                            <Button
                              size="compact-xs"
                              variant="light"
                              onClick={() => setAdjusting(slip)}
                              data-testid={`payslip-adjust-${slip.employee_number}`}
                            >
                              {t("slip.adjust")}
                            </Button>
                          )}
                          {(["en", "ar"] as const).map((language) => (
                            <Button
                              key={language}
                              size="compact-xs"
                              variant="default"
                              loading={
                                pdf.isPending && pdf.variables?.payslip.id === slip.id && pdf.variables.language === language
                              }
                              onClick={() => pdf.mutate({ payslip: slip, language })}
                              data-testid={`payslip-pdf-${language}-${slip.employee_number}`}
                            >
                              {t(language === "en" ? "slip.pdfEn" : "slip.pdfAr")}
                            </Button>
                          ))}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                    {open.has(slip.id) && (
                      <Table.Tr>
                        <Table.Td colSpan={8} bg="var(--mantine-color-gray-light)">
                          <Lines
                            slip={slip}
                            money={money}
                            language={i18n.language}
                            onRemove={
                              review
                                ? (adjustmentId) => removeAdjustment.mutate({ payslipId: slip.id, adjustmentId })
                                : undefined
                            }
                          />
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
      {adjusting && <AdjustModal scope={scope} run={run} slip={adjusting} onClose={() => setAdjusting(null)} />}
    </Card>
  );
}

interface LinesProps {
  slip: Payslip;
  money: (minor: number) => string;
  language: string;
  onRemove?: (adjustmentId: string) => void;
}

/** A payslip's components, by kind. */
function Lines({ slip, money, language, onRemove }: LinesProps) {
  const { t } = useTranslation(NS);
  const groups = linesByKind(slip.lines);
  return (
    <Stack gap="xs" data-testid={`payslip-lines-${slip.employee_number}`}>
      {KINDS.filter((kind) => groups[kind].length > 0).map((kind) => (
        <div key={kind}>
          <Text size="xs" fw={600} c="dimmed">
            {t(`slip.kind_${kind}`)}
          </Text>
          <Table withRowBorders={false} verticalSpacing={2}>
            <Table.Tbody>
              {groups[kind].map((line) => (
                <Table.Tr key={line.code}>
                  <Table.Td w="50%">
                    {lineName(line, language)}{" "}
                    {line.hidden && (
                      <Badge size="xs" color="gray" variant="outline">
                        {t("slip.hiddenLine")}
                      </Badge>
                    )}
                    {line.adjusted && (
                      <Badge size="xs" color="orange" variant="light">
                        {t("slip.adjusted")}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{money(line.amount)}</Table.Td>
                  <Table.Td>
                    {line.adjusted && line.adjustment_id && onRemove && (
                      <Button size="compact-xs" variant="subtle" color="red" onClick={() => onRemove(line.adjustment_id ?? "")}>
                        {t("slip.removeAdjustment")}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      ))}
    </Stack>
  );
}

function AdjustModal({ scope, run, slip, onClose }: { scope: HrScope; run: PayrollRun; slip: Payslip; onClose: () => void }) {
  const { t, i18n } = useTranslation(NS);
  const adjust = useAdjust(scope, run.id);
  const [kind, setKind] = useState<"earning" | "deduction">("earning");
  const [description, setDescription] = useState("");
  const [amount, setAmount] = useState<number | string>("");
  const minor = amountToMinor(amount, run.currency);
  return (
    <Modal opened onClose={onClose} title={t("slip.adjustTitle", { name: slip.employee_name })}>
      <Stack gap="sm" data-testid="payslip-adjust-form">
        <Text size="sm" c="dimmed">
          {t("slip.adjustHelp")}
        </Text>
        <Select
          label={t("slip.adjustKind")}
          data={[
            { value: "earning", label: t("slip.earning") },
            { value: "deduction", label: t("slip.deduction") },
          ]}
          value={kind}
          onChange={(value) => value && setKind(value as "earning" | "deduction")}
          allowDeselect={false}
          data-testid="adjust-kind"
        />
        <TextInput
          label={t("slip.description")}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          maxLength={200}
          data-testid="adjust-description"
        />
        <NumberInput
          label={t("slip.amount")}
          value={amount}
          onChange={(next) => setAmount(inputNumber(next))}
          min={0}
          decimalScale={run.currency ? minorDigits(run.currency) : 2}
          rightSection={run.currency ? <Text size="xs">{run.currency}</Text> : undefined}
          data-testid="adjust-amount"
        />
        <ProblemAlert error={adjust.error} testId="adjust-error" />
        <Group justify="flex-end">
          <Button
            onClick={() =>
              adjust.mutate(
                { payslipId: slip.id, body: { kind, description: description.trim(), amount: minor ?? 0 } },
                {
                  onSuccess: (fresh) => {
                    notifications.show({
                      message: t("slip.adjustedDone", { net: moneyText(fresh.net, run.currency, i18n.language) }),
                      color: "green",
                    });
                    onClose();
                  },
                },
              )
            }
            disabled={!description.trim() || !minor}
            loading={adjust.isPending}
            data-testid="adjust-save"
          >
            {t("slip.add")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
