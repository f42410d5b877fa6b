/**
 * A provider admin's actions on one of a tenant's invoices: finalize a draft (it gets its number and
 * can no longer change), issue a credit note (an amount, or the whole remaining invoice) and record
 * a bank transfer received. Amounts are typed in major units and sent in minor units.
 */
import { Button, Checkbox, Group, Modal, NumberInput, Stack, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { NS } from "./i18n";
import { useFinalize, useIssueCreditNote, useRecordTransfer } from "./invoiceQueries";
import { canCredit, canPay, type Invoice, toMinor } from "./invoices";
import { minorDigits } from "./money";

type Dialog = "credit" | "transfer" | null;

export function InvoiceActions({ invoice, tenantId }: { invoice: Invoice; tenantId: string }) {
  const { t } = useTranslation(NS);
  const [dialog, setDialog] = useState<Dialog>(null);
  const finalize = useFinalize(tenantId);
  const name = invoice.number ?? t("invoices.draft");
  return (
    <>
      {invoice.status === "draft" && (
        <Button
          size="compact-sm"
          loading={finalize.isPending}
          onClick={() =>
            finalize.mutate(invoice.id, {
              onError: (error) =>
                notifications.show({ color: "red", title: t("actions.finalizeFailed"), message: error.message }),
            })
          }
        >
          {t("actions.finalize")}
        </Button>
      )}
      {canCredit(invoice) && (
        <Button size="compact-sm" variant="light" onClick={() => setDialog("credit")}>
          {t("actions.creditNote")}
        </Button>
      )}
      {canPay(invoice) && (
        <Button size="compact-sm" variant="light" onClick={() => setDialog("transfer")}>
          {t("actions.transfer")}
        </Button>
      )}
      <Modal opened={dialog === "credit"} onClose={() => setDialog(null)} title={t("actions.creditNoteOf", { name })}>
        <CreditNoteForm invoice={invoice} tenantId={tenantId} onDone={() => setDialog(null)} />
      </Modal>
      <Modal opened={dialog === "transfer"} onClose={() => setDialog(null)} title={t("actions.transferOf", { name })}>
        <TransferForm invoice={invoice} tenantId={tenantId} onDone={() => setDialog(null)} />
      </Modal>
    </>
  );
}

function CreditNoteForm({ invoice, tenantId, onDone }: { invoice: Invoice; tenantId: string; onDone: () => void }) {
  const { t } = useTranslation(NS);
  const issue = useIssueCreditNote(tenantId);
  const [full, setFull] = useState(true);
  const [amount, setAmount] = useState<string | number>("");
  const [reason, setReason] = useState("");
  const minor = toMinor(amount, minorDigits(invoice.currency));
  const ready = reason.trim() !== "" && (full || minor !== null);
  const submit = () =>
    issue.mutate(
      { invoice_id: invoice.id, reason: reason.trim(), amount: full ? null : minor },
      {
        onSuccess: onDone,
        onError: (error) => notifications.show({ color: "red", title: t("actions.creditFailed"), message: error.message }),
      },
    );
  return (
    <Stack>
      <Checkbox label={t("actions.fullCredit")} checked={full} onChange={(event) => setFull(event.currentTarget.checked)} />
      {!full && (
        <NumberInput
          label={t("actions.amountExTax", { currency: invoice.currency })}
          value={amount}
          onChange={(value) => setAmount(String(value))}
          min={0}
          decimalScale={minorDigits(invoice.currency)}
          required
        />
      )}
      <TextInput label={t("actions.reason")} value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} required />
      <Group justify="flex-end">
        <Button onClick={submit} disabled={!ready} loading={issue.isPending}>
          {t("actions.issue")}
        </Button>
      </Group>
    </Stack>
  );
}

function TransferForm({ invoice, tenantId, onDone }: { invoice: Invoice; tenantId: string; onDone: () => void }) {
  const { t } = useTranslation(NS);
  const record = useRecordTransfer(tenantId);
  const digits = minorDigits(invoice.currency);
  const [amount, setAmount] = useState<string | number>(invoice.amount_due / 10 ** digits);
  const [reference, setReference] = useState("");
  const [receivedOn, setReceivedOn] = useState(() => new Date().toISOString().slice(0, 10));
  const minor = toMinor(amount, digits);
  const ready = minor !== null && reference.trim() !== "" && receivedOn !== "";
  const submit = () =>
    minor !== null &&
    record.mutate(
      { invoiceId: invoice.id, amount: minor, reference: reference.trim(), received_on: receivedOn },
      {
        onSuccess: onDone,
        onError: (error) =>
          notifications.show({ color: "red", title: t("actions.transferFailed"), message: error.message }),
      },
    );
  return (
    <Stack>
      <NumberInput
        label={t("actions.amount", { currency: invoice.currency })}
        value={amount}
        onChange={(value) => setAmount(String(value))}
        min={0}
        decimalScale={digits}
        required
      />
      <TextInput label={t("actions.reference")} value={reference} onChange={(e) => setReference(e.currentTarget.value)} maxLength={200} required />
      <TextInput
        type="date"
        label={t("actions.receivedOn")}
        value={receivedOn}
        onChange={(e) => setReceivedOn(e.currentTarget.value)}
        required
      />
      <Group justify="flex-end">
        <Button onClick={submit} disabled={!ready} loading={record.isPending}>
          {t("actions.record")}
        </Button>
      </Group>
    </Stack>
  );
}
