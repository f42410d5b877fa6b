/**
 * An API error as the payroll screens show it: a red box that stays (a notification would vanish) with
 * the server's message and every problem it lists, e.g. each employee without a bank account.
 */
import { Alert, List } from "@mantine/core";
import { IconAlertCircle } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { NS } from "./i18n";
import { problemsOf } from "./payroll";

export function ProblemAlert({ error, onClose, testId = "payroll-error" }: { error: unknown; onClose?: () => void; testId?: string }) {
  const { t } = useTranslation(NS);
  if (!error) return null;
  const [message, ...details] = problemsOf(error, t("failed"));
  return (
    <Alert
      color="red"
      icon={<IconAlertCircle size={18} />}
      title={t("run.actionFailed")}
      role="alert"
      withCloseButton={Boolean(onClose)}
      onClose={onClose}
      data-testid={testId}
    >
      {message}
      {details.length > 0 && (
        <List size="sm" mt="xs">
          {details.map((detail) => (
            <List.Item key={detail}>{detail}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
