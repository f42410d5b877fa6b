/** A tenant's desk settings need a tenant: staff who have not chosen one are asked to, above. */
import { Text } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { NS } from "./i18n";
import { type SupportScope, useSupportScope } from "./queries";

export function NeedsTenant({ children }: { children: (scope: SupportScope & { tenantId: string }) => ReactNode }) {
  const { t } = useTranslation(NS);
  const scope = useSupportScope();
  if (scope.tenantId === null) {
    return (
      <Text c="dimmed" ta="center" py="xl" data-empty="true">
        {t("section.noTenant")}
      </Text>
    );
  }
  return <>{children({ ...scope, tenantId: scope.tenantId })}</>;
}
