/**
 * What a period's row offers (PeriodsPage): an open month without a close starts one (a request with
 * the close checklist); with one, its progress, the way to its checklist and, once complete, closing
 * it. A closed month is reopened by a provider admin only, with a reason the audit trail keeps.
 */
import "./documentsI18n";
import { Anchor, Button, Group, Modal, Stack, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconLock, IconLockOpen, IconPlayerPlay } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { useMe } from "../auth/session";
import { errorMessage, ErrorAlert } from "../components/QueryState";
import { formatNumber } from "../lib/format";
import { monthLabel } from "../portal/months";
import { DOCS_NS } from "./documentsI18n";
import { type PeriodClose, useLockPeriod, useReopenPeriod, useStartClose } from "./documentsQueries";
import type { BooksScope, Period } from "./queries";

export function PeriodCloseActions({ scope, period, close }: { scope: BooksScope; period: Period; close?: PeriodClose }) {
  const { t, i18n } = useTranslation(DOCS_NS);
  const month = monthLabel(period.month, i18n.language);
  if (period.status === "locked") return <ReopenButton scope={scope} period={period} />;
  if (!close) return <StartButton scope={scope} period={period} />;
  const done = close.checks.filter((check) => check.done).length;
  const number = (value: number) => formatNumber(value, i18n.language);
  return (
    <Group gap="sm" wrap="nowrap">
      <Anchor
        component={Link}
        to={`/console/books/work/${close.work_item_id}`}
        size="sm"
        aria-label={t("close.openChecklist", { month })}
        data-testid="books-close-progress"
      >
        {t("close.progress", { done: number(done), total: number(close.checks.length) })}
      </Anchor>
      {close.complete && <LockButton scope={scope} period={period} />}
    </Group>
  );
}

function StartButton({ scope, period }: { scope: BooksScope; period: Period }) {
  const { t, i18n } = useTranslation(DOCS_NS);
  const start = useStartClose(scope);
  const navigate = useNavigate();
  const month = monthLabel(period.month, i18n.language);
  return (
    <Button
      size="compact-sm"
      variant="light"
      leftSection={<IconPlayerPlay size={14} />}
      loading={start.isPending}
      aria-label={t("close.startOf", { month })}
      onClick={() =>
        start.mutate(period, {
          onSuccess: (close) => {
            notifications.show({ color: "teal", message: t("close.started", { month }) });
            navigate(`/console/books/work/${close.work_item_id}`);
          },
          onError: (error) => notifications.show({ color: "red", message: errorMessage(error, t("close.start")) }),
        })
      }
    >
      {t("close.start")}
    </Button>
  );
}

function LockButton({ scope, period }: { scope: BooksScope; period: Period }) {
  const { t, i18n } = useTranslation(DOCS_NS);
  const lock = useLockPeriod(scope.tenantId);
  const month = monthLabel(period.month, i18n.language);
  return (
    <Button
      size="compact-sm"
      variant="light"
      color="orange"
      leftSection={<IconLock size={14} />}
      loading={lock.isPending}
      onClick={() =>
        lock.mutate(period.id, {
          onSuccess: () => notifications.show({ color: "teal", message: t("close.locked", { month }) }),
          onError: (error) => notifications.show({ color: "red", message: errorMessage(error, t("close.lock")) }),
        })
      }
    >
      {t("close.lock")}
    </Button>
  );
}

function ReopenButton({ scope, period }: { scope: BooksScope; period: Period }) {
  const { t, i18n } = useTranslation(DOCS_NS);
  const me = useMe();
  const reopen = useReopenPeriod(scope);
  const [opened, setOpened] = useState(false);
  const [reason, setReason] = useState("");
  const month = monthLabel(period.month, i18n.language);
  if (me.role !== "provider_admin") return null;
  return (
    <>
      <Button
        size="compact-sm"
        variant="light"
        color="gray"
        leftSection={<IconLockOpen size={14} />}
        aria-label={t("close.reopenOf", { month })}
        onClick={() => setOpened(true)}
      >
        {t("close.reopen")}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t("close.reopenTitle", { month })} centered>
        <Stack
          component="form"
          gap="sm"
          onSubmit={(event) => {
            event.preventDefault();
            if (!reason.trim()) return;
            reopen.mutate(
              { period, reason: reason.trim() },
              {
                onSuccess: () => {
                  notifications.show({ color: "teal", message: t("close.reopened", { month }) });
                  setOpened(false);
                  setReason("");
                },
              },
            );
          }}
        >
          <Textarea
            label={t("close.reason")}
            description={t("close.reasonHint")}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            required
            autosize
            minRows={2}
            maxLength={5000}
            data-autofocus
          />
          {reopen.error && <ErrorAlert error={reopen.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              {t("close.cancel")}
            </Button>
            <Button type="submit" loading={reopen.isPending} disabled={!reason.trim()}>
              {t("close.reopen")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
