/**
 * The portal's Data entry section: the tenant's batches (with the upload form) and, for a client
 * admin, the record schemas, as tabs over the page.
 */
import "./i18n";
import { Tabs, Title } from "@mantine/core";
import { IconFileSpreadsheet, IconSchema } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Outlet, useLocation, useNavigate } from "react-router";
import { useMe } from "../auth/session";
import { NS } from "./i18n";

const BASE = "/portal/data-entry";

export function Component() {
  const { t } = useTranslation(NS);
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const admin = useMe().role === "client_admin";
  const current = pathname.startsWith(`${BASE}/schemas`) ? "schemas" : "batches";
  return (
    <>
      <Title order={2} mb="sm">
        {t("section.title")}
      </Title>
      {admin && (
        <Tabs value={current} onChange={(tab) => tab && navigate(tab === "schemas" ? `${BASE}/schemas` : BASE)} mb="md">
          <Tabs.List aria-label={t("section.tabs")}>
            <Tabs.Tab value="batches" leftSection={<IconFileSpreadsheet size={16} />}>
              {t("section.batches")}
            </Tabs.Tab>
            <Tabs.Tab value="schemas" leftSection={<IconSchema size={16} />}>
              {t("section.schemas")}
            </Tabs.Tab>
          </Tabs.List>
        </Tabs>
      )}
      <Outlet />
    </>
  );
}
