/**
 * Provider staff approve or refuse a pending leave request from the console, on the client's behalf:
 * they name the client admin they act for (the API records who decided and for whom), and a refusal
 * needs its reason. The client admin's own approval in the portal stays on LeavePage.
 */
import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconInfoCircle } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "../../api/client";
import { errorMessage } from "../../components/QueryState";
import { type HrScope, hrKey } from "../queries";
import { useDeciders } from "./deciders";
import { NS } from "./i18n";

type LeaveRequest = Schemas["LeaveRequestOut"];
type Decision = "approve" | "refuse";

export function ConsoleDecision({ scope, request }: { scope: HrScope; request: LeaveRequest }) {
  const { t } = useTranslation(NS);
  const deciders = useDeciders(scope);
  const [decision, setDecision] = useState<Decision | null>(null);
  if (!deciders.data?.length) return null;
  return (
    <>
      <Group gap="xs">
        <Button size="xs" onClick={() => setDecision("approve")} data-testid="leave-console-approve">
          {t("approve")}
        </Button>
        <Button size="xs" variant="light" color="red" onClick={() => setDecision("refuse")} data-testid="leave-console-refuse">
          {t("reject")}
        </Button>
      </Group>
      {decision && (
        <DecisionModal
          scope={scope}
          request={request}
          decision={decision}
          deciders={deciders.data}
          onClose={() => setDecision(null)}
        />
      )}
    </>
  );
}

function DecisionModal({
  scope,
  request,
  decision,
  deciders,
  onClose,
}: {
  scope: HrScope;
  request: LeaveRequest;
  decision: Decision;
  deciders: Schemas["LeaveDeciderOut"][];
  onClose: () => void;
}) {
  const { t } = useTranslation(NS);
  const queryClient = useQueryClient();
  const [forWhom, setForWhom] = useState<string | null>(deciders[0]?.id ?? null);
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const path = { params: { path: { request_id: request.id } } };
  const decide = useMutation({
    mutationFn: () =>
      decision === "approve"
        ? unwrap(api.POST("/api/v1/hr/leave-requests/{request_id}/approve", { ...path, body: { on_behalf_of: forWhom } }))
        : unwrap(
            api.POST("/api/v1/hr/leave-requests/{request_id}/reject", {
              ...path,
              body: { reason: reason.trim(), on_behalf_of: forWhom },
            }),
          ),
    onSuccess: (done) => {
      notifications.show({ message: t(done.status === "approved" ? "approvedOnBehalf" : "rejectedOnBehalf"), color: "green" });
      queryClient.invalidateQueries({ queryKey: hrKey(scope.tenantId) });
      onClose();
    },
    onError: (error) => setProblem(errorMessage(error, t("failed")) || t("failed")),
  });
  const refusing = decision === "refuse";
  return (
    <Modal opened onClose={onClose} title={t(refusing ? "refuseTitle" : "approveTitle", { name: request.employee_name })} centered>
      <Stack gap="sm">
        <Text size="sm">
          {request.leave_type} · {request.start_date} – {request.end_date} · {t("daysCount", { days: request.days })}
        </Text>
        <Alert color="blue" icon={<IconInfoCircle size={18} />} data-testid="leave-on-behalf-note">
          {t("onBehalfNote")}
        </Alert>
        <Select
          label={t("onBehalfOf")}
          data={deciders.map((d) => ({ value: d.id, label: `${d.name} <${d.email}>` }))}
          value={forWhom}
          onChange={(value) => setForWhom(value ? String(value) : null)}
          allowDeselect={false}
          data-testid="leave-on-behalf-of"
        />
        {refusing && (
          <Textarea
            label={t("rejectReason")}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            maxLength={500}
            required
            data-testid="leave-refuse-reason"
          />
        )}
        {problem && (
          <Alert color="red" role="alert" data-testid="leave-decision-error">
            {problem}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("cancel")}
          </Button>
          <Button
            color={refusing ? "red" : undefined}
            loading={decide.isPending}
            disabled={!forWhom || (refusing && !reason.trim())}
            onClick={() => decide.mutate()}
            data-testid="leave-decision-confirm"
          >
            {t(refusing ? "reject" : "approve")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
