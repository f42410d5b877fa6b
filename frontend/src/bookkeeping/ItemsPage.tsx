/**
 * Receivables and payables: the sales invoices or the bills (`?kind=invoice|bill`), by due date, with
 * what each still has open and its status, in the book's currency. Bookkeepers (console) record a new
 * one and choose open items of one contact to settle them with one payment; the tenant's people read.
 */
import "./i18n";
import "./itemsI18n";
import { Button, Group, SegmentedControl, Stack, Switch, Text } from "@mantine/core";
import { IconCash, IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { Paging } from "../admin/Paging";
import { usePaging } from "../admin/usePaging";
import { QueryState } from "../components/QueryState";
import { WithBooks } from "./BooksSection";
import { useBookMoney } from "./bookMoney";
import { ItemForm } from "./ItemForm";
import { ItemTable } from "./ItemTable";
import { ITEMS_NS } from "./itemsI18n";
import { useOpenItems } from "./itemsQueries";
import { isItemKind, ITEM_KINDS, type ItemKind, type OpenItem, selectionProblem } from "./openItems";
import { PaymentForm } from "./PaymentForm";
import type { BooksScope } from "./queries";

const PAGE_SIZE = 20;

export function Component() {
  return <WithBooks>{(scope) => <Items scope={scope} />}</WithBooks>;
}

function Items({ scope }: { scope: BooksScope }) {
  const { t } = useTranslation(ITEMS_NS);
  const money = useBookMoney(scope);
  const [params, setParams] = useSearchParams();
  const asked = params.get("kind");
  const kind: ItemKind = isItemKind(asked) ? asked : "invoice";
  const [onlyOpen, setOnlyOpen] = useState(false);
  const paging = usePaging(PAGE_SIZE);
  const items = useOpenItems(scope, kind, { open: onlyOpen, limit: paging.limit, offset: paging.offset });
  const [creating, setCreating] = useState(false);
  const [paying, setPaying] = useState(false);
  // Chosen for a payment, by id; kept across pages so a payment can settle items seen on several.
  const [chosen, setChosen] = useState<Map<string, OpenItem>>(new Map());
  const chosenItems = [...chosen.values()];
  const problem = selectionProblem(chosenItems);

  const toggle = (item: OpenItem) =>
    setChosen((current) => {
      const next = new Map(current);
      if (next.has(item.id)) next.delete(item.id);
      else next.set(item.id, item);
      return next;
    });
  const showKind = (value: string) => {
    setChosen(new Map());
    paging.setPage(1);
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.set("kind", value);
      return next;
    });
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Group align="center" gap="md" wrap="wrap">
          <SegmentedControl
            aria-label={t("items.kind")}
            data={ITEM_KINDS.map((value) => ({ value, label: t(`items.kinds.${value}`) }))}
            value={kind}
            onChange={showKind}
            data-testid="books-item-kind"
          />
          <Switch
            label={t("items.onlyOpen")}
            checked={onlyOpen}
            onChange={(e) => {
              setOnlyOpen(e.currentTarget.checked);
              paging.setPage(1);
            }}
          />
        </Group>
        {scope.inConsole && (
          <Group gap="sm">
            <Button variant="light" leftSection={<IconCash size={16} />} disabled={problem !== null} onClick={() => setPaying(true)}>
              {t(`items.pay.${kind}`)}
            </Button>
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              {t(`items.new.${kind}`)}
            </Button>
          </Group>
        )}
      </Group>
      {scope.inConsole && (
        <Text size="sm" c={problem === "contacts" || problem === "notPayable" ? "red" : "dimmed"} data-testid="books-selection">
          {problem === null
            ? t("items.selected", {
                count: chosenItems.length,
                amount: money.format(chosenItems.reduce((sum, item) => sum + item.open_amount, 0)),
              })
            : problem === "none"
              ? t("items.payHint")
              : t(`items.selection.${problem}`)}
        </Text>
      )}
      <QueryState query={items} empty={(page) => !page.total} emptyText={onlyOpen ? t("items.emptyOpen") : t(`items.empty.${kind}`)}>
        {(page) => (
          <>
            <ItemTable items={page.items} money={money.format} selection={scope.inConsole ? { chosen: new Set(chosen.keys()), toggle } : undefined} />
            <Paging total={page.total} paging={paging} />
          </>
        )}
      </QueryState>
      {creating && <ItemForm scope={scope} kind={kind} money={money} onClose={() => setCreating(false)} />}
      {paying && problem === null && (
        <PaymentForm
          scope={scope}
          items={chosenItems}
          money={money}
          onClose={() => setPaying(false)}
          onRecorded={() => {
            setPaying(false);
            setChosen(new Map());
          }}
        />
      )}
    </Stack>
  );
}
