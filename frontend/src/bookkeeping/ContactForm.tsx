/**
 * Add or change a customer or vendor (bookkeepers, in the console): name, email, tax id and payment
 * terms; the kind is chosen once, on adding (the API never changes it). The server's refusal is
 * shown in the form, in its own words.
 */
import { Button, Group, Modal, NumberInput, SegmentedControl, Stack, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../components/QueryState";
import { ITEMS_NS } from "./itemsI18n";
import { useSaveContact } from "./itemsQueries";
import { CONTACT_KINDS, type Contact, type ContactKind, ITEM_LIMITS } from "./openItems";
import type { BooksScope } from "./queries";

const DEFAULT_TERMS = 30;

interface ContactFormProps {
  scope: BooksScope;
  /** The contact to change, or null to add one. */
  contact: Contact | null;
  onClose: () => void;
}

export function ContactForm({ scope, contact, onClose }: ContactFormProps) {
  const { t } = useTranslation(ITEMS_NS);
  const save = useSaveContact(scope);
  const [kind, setKind] = useState<ContactKind>(contact?.kind ?? "customer");
  const [name, setName] = useState(contact?.name ?? "");
  const [email, setEmail] = useState(contact?.email ?? "");
  const [taxId, setTaxId] = useState(contact?.tax_id ?? "");
  const [terms, setTerms] = useState<number>(contact?.payment_terms_days ?? DEFAULT_TERMS);

  return (
    <Modal opened onClose={onClose} title={contact ? t("contacts.editOf", { name: contact.name }) : t("contacts.add")} size="lg">
      <form
        data-testid="books-contact-form"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate(
            {
              id: contact?.id ?? null,
              body: { kind, name: name.trim(), email: email.trim() || null, tax_id: taxId.trim() || null, payment_terms_days: terms },
            },
            {
              onSuccess: (saved) => {
                notifications.show({ color: "teal", message: t(contact ? "contacts.saved" : "contacts.added", { name: saved.name }) });
                onClose();
              },
            },
          );
        }}
      >
        <Stack gap="sm">
          {contact ? (
            <Text size="sm" c="dimmed">
              {t(`contacts.kinds.${contact.kind}`)} · {t("contacts.kindFixed")}
            </Text>
          ) : (
            <SegmentedControl
              aria-label={t("contacts.kind")}
              data={CONTACT_KINDS.map((value) => ({ value, label: t(`contacts.kinds.${value}`) }))}
              value={kind}
              onChange={(value) => setKind(value as ContactKind)}
            />
          )}
          <TextInput label={t("contacts.name")} value={name} onChange={(e) => setName(e.currentTarget.value)} required maxLength={ITEM_LIMITS.name} data-autofocus />
          <Group grow align="flex-start">
            <TextInput label={t("contacts.email")} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} maxLength={ITEM_LIMITS.email} dir="ltr" />
            <TextInput label={t("contacts.taxId")} value={taxId} onChange={(e) => setTaxId(e.currentTarget.value)} maxLength={ITEM_LIMITS.taxId} dir="ltr" />
          </Group>
          <NumberInput
            label={t("contacts.terms")}
            value={terms}
            onChange={(value) => setTerms(typeof value === "number" ? value : 0)}
            min={0}
            max={365}
            allowDecimal={false}
            allowNegative={false}
            w={200}
          />
          {save.error && <ErrorAlert error={save.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("contacts.cancel")}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!name.trim()}>
              {t("contacts.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
