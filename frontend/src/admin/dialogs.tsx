/**
 * What the admin screens' dialogs share: a confirmation that shows the server's refusal inside the
 * dialog, where the person just acted, and the buttons of a table row.
 */
import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../components/QueryState";

interface ConfirmModalProps {
  opened: boolean;
  onClose: () => void;
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  color?: string;
  /** The change itself; the dialog closes when it succeeds and shows the server's words when it does not. */
  onConfirm: () => Promise<unknown>;
}

export function ConfirmModal({ opened, onClose, title, children, confirmLabel, color, onConfirm }: ConfirmModalProps) {
  const { t } = useTranslation();
  const action = useMutation({ mutationFn: onConfirm, onSuccess: onClose });
  const close = () => {
    action.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={title} centered>
      <Stack>
        {typeof children === "string" ? <Text size="sm">{children}</Text> : children}
        {action.error && <ErrorAlert error={action.error} />}
        <Group justify="flex-end">
          {/* Cancel first in focus order: Enter on an opened dialog must not do the irreversible thing. */}
          <Button variant="default" onClick={close} data-autofocus>
            {t("common.cancel")}
          </Button>
          <Button color={color} loading={action.isPending} onClick={() => action.mutate()}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** A row's buttons, named as a group ("Actions for Omar") so a screen reader says whose they are. */
export function RowActions({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap={4} wrap="nowrap" justify="flex-end" role="group" aria-label={label}>
      {children}
    </Group>
  );
}
