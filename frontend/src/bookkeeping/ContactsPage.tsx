/**
 * The tenant's customers and vendors, by name, a page at a time, searched by name and filtered by
 * kind, each with what it has open in the book's currency. A contact's open invoices (customer) or
 * bills (vendor) open beside the list. Bookkeepers add and change contacts in the console; the
 * tenant's people read them in the portal.
 */
import "./i18n";
import "./itemsI18n";
import { Button, Drawer, Group, SegmentedControl, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconEye, IconPencil, IconPlus, IconSearch } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Paging } from "../admin/Paging";
import { usePaging } from "../admin/usePaging";
import { QueryState } from "../components/QueryState";
import { formatNumber } from "../lib/format";
import { WithBooks } from "./BooksSection";
import { type BookMoney, useBookMoney } from "./bookMoney";
import { ContactForm } from "./ContactForm";
import { ItemTable } from "./ItemTable";
import { ITEMS_NS } from "./itemsI18n";
import { useContactItems, useContacts } from "./itemsQueries";
import { CONTACT_KINDS, type Contact, type ContactKind } from "./openItems";
import type { BooksScope } from "./queries";

const PAGE_SIZE = 20;
const SEARCH_PAUSE_MS = 300;

export function Component() {
  return <WithBooks>{(scope) => <Contacts scope={scope} />}</WithBooks>;
}

function Contacts({ scope }: { scope: BooksScope }) {
  const { t } = useTranslation(ITEMS_NS);
  const money = useBookMoney(scope);
  const paging = usePaging(PAGE_SIZE);
  const [kind, setKind] = useState<ContactKind | null>(null);
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, SEARCH_PAUSE_MS);
  const contacts = useContacts(scope, { kind, q, limit: paging.limit, offset: paging.offset });
  // "new" adds a contact; a contact is being changed; null: no form open.
  const [editing, setEditing] = useState<Contact | "new" | null>(null);
  const [viewing, setViewing] = useState<Contact | null>(null);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            label={t("contacts.search")}
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              paging.setPage(1);
            }}
            maxLength={200}
            w={260}
            data-testid="books-contact-search"
          />
          <SegmentedControl
            aria-label={t("contacts.kind")}
            data={[
              { value: "all", label: t("contacts.all") },
              ...CONTACT_KINDS.map((value) => ({ value, label: t(`contacts.kindsPlural.${value}`) })),
            ]}
            value={kind ?? "all"}
            onChange={(value) => {
              setKind(value === "all" ? null : (value as ContactKind));
              paging.setPage(1);
            }}
          />
        </Group>
        {scope.inConsole && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing("new")}>
            {t("contacts.add")}
          </Button>
        )}
      </Group>
      <QueryState query={contacts} empty={(page) => !page.total} emptyText={q.trim() || kind ? t("contacts.noMatch") : t("contacts.empty")}>
        {(page) => (
          <>
            <ContactTable contacts={page.items} money={money} onView={setViewing} onEdit={scope.inConsole ? setEditing : undefined} />
            <Paging total={page.total} paging={paging} />
          </>
        )}
      </QueryState>
      {editing && <ContactForm scope={scope} contact={editing === "new" ? null : editing} onClose={() => setEditing(null)} />}
      <Drawer
        opened={viewing !== null}
        onClose={() => setViewing(null)}
        position="right"
        size="xl"
        title={viewing ? t("contacts.viewOf", { name: viewing.name }) : ""}
      >
        {viewing && <ContactItems scope={scope} contact={viewing} money={money} />}
      </Drawer>
    </Stack>
  );
}

interface ContactTableProps {
  contacts: Contact[];
  money: BookMoney;
  onView: (contact: Contact) => void;
  onEdit?: (contact: Contact) => void;
}

function ContactTable({ contacts, money, onView, onEdit }: ContactTableProps) {
  const { t, i18n } = useTranslation(ITEMS_NS);
  return (
    <Table.ScrollContainer minWidth={820} type="native">
      <Table striped verticalSpacing="xs" data-testid="books-contacts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("contacts.name")}</Table.Th>
            <Table.Th>{t("contacts.kind")}</Table.Th>
            <Table.Th>{t("contacts.email")}</Table.Th>
            <Table.Th>{t("contacts.taxId")}</Table.Th>
            <Table.Th>{t("contacts.termsShort")}</Table.Th>
            <Table.Th ta="end">{t("contacts.open")}</Table.Th>
            <Table.Th>{t("contacts.actions")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {contacts.map((contact) => (
            <Table.Tr key={contact.id} data-testid="books-contact" data-name={contact.name} data-kind={contact.kind}>
              <Table.Td>
                <bdi>{contact.name}</bdi>
              </Table.Td>
              <Table.Td>{t(`contacts.kinds.${contact.kind}`)}</Table.Td>
              <Table.Td>
                <Text size="sm" dir="ltr" ta="start">
                  {contact.email ?? ""}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" dir="ltr" ta="start" ff="monospace">
                  {contact.tax_id ?? ""}
                </Text>
              </Table.Td>
              <Table.Td>{t("contacts.termsDays", { days: formatNumber(contact.payment_terms_days, i18n.language) })}</Table.Td>
              <Table.Td ta="end" style={{ fontVariantNumeric: "tabular-nums" }} data-testid="books-contact-open">
                {money.format(contact.open_amount)}
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" variant="light" leftSection={<IconEye size={14} />} aria-label={t("contacts.viewOf", { name: contact.name })} onClick={() => onView(contact)}>
                    {t("contacts.view")}
                  </Button>
                  {onEdit && (
                    <Button size="xs" variant="default" leftSection={<IconPencil size={14} />} aria-label={t("contacts.editOf", { name: contact.name })} onClick={() => onEdit(contact)}>
                      {t("contacts.edit")}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** A contact's open invoices (a customer) or bills (a vendor) and its balance. */
function ContactItems({ scope, contact, money }: { scope: BooksScope; contact: Contact; money: BookMoney }) {
  const { t } = useTranslation(ITEMS_NS);
  const items = useContactItems(scope, contact.kind === "customer" ? "invoice" : "bill", contact.id);
  return (
    <Stack gap="sm" data-testid="books-contact-items">
      <Title order={4} data-testid="books-contact-balance">
        {t("contacts.balanceOf", { amount: money.format(contact.open_amount) })}
      </Title>
      <Text size="sm" c="dimmed">
        {t(`contacts.kinds.${contact.kind}`)}
        {contact.email ? ` · ${contact.email}` : ""}
      </Text>
      <Title order={5}>{t("contacts.openItems")}</Title>
      <QueryState query={items} empty={(page) => !page.items.length} emptyText={t("contacts.noOpenItems")}>
        {(page) => <ItemTable items={page.items} money={money.format} hideContact />}
      </QueryState>
    </Stack>
  );
}
