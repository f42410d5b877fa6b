/**
 * The Bank tab: a tenant's bank accounts and, for the one chosen (`?account=`, so a reload stays on
 * it), its statement lines to reconcile. In the console bookkeepers add accounts, import statements
 * and accept matches; in the portal the tenant's people follow the same screens read-only.
 */
import "./i18n";
import "./bankI18n";
import { Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { BankAccountsCard } from "./BankAccountsCard";
import { BANK_NS } from "./bankI18n";
import { useBankAccounts } from "./bankQueries";
import { WithBooks } from "./BooksSection";
import type { BooksScope } from "./queries";
import { Reconciliation } from "./Reconciliation";
import { StatementImport } from "./StatementImport";

export function Component() {
  return <WithBooks>{(scope) => <Bank scope={scope} />}</WithBooks>;
}

function Bank({ scope }: { scope: BooksScope }) {
  const { t } = useTranslation(BANK_NS);
  const accounts = useBankAccounts(scope);
  const [params, setParams] = useSearchParams();
  const items = accounts.data?.items ?? [];
  const chosen = items.find((account) => account.id === params.get("account")) ?? items[0];
  const choose = (id: string) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.set("account", id);
      return next;
    });
  return (
    <Stack gap="lg">
      <BankAccountsCard scope={scope} accounts={accounts} chosenId={chosen?.id ?? null} onChoose={choose} />
      {chosen && scope.inConsole && <StatementImport key={chosen.id} scope={scope} account={chosen} />}
      {chosen ? (
        <Reconciliation key={chosen.id} scope={scope} account={chosen} />
      ) : (
        accounts.isSuccess && (
          <Text c="dimmed" ta="center">
            {t("reconcile.chooseAccount")}
          </Text>
        )
      )}
    </Stack>
  );
}
