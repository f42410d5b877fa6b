/**
 * /console/tenants/:tenantId/users: a provider admin manages any tenant's people (invite, change
 * role, deactivate) with the portal's own users screen, every request naming the tenant in
 * X-Tenant (the server audits the provider admin's reach into the tenant); and its subscription,
 * whose plan the provider admin can change from here.
 */
import { Anchor, Group, Stack, useDirection } from "@mantine/core";
import { IconArrowLeft, IconArrowRight } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { api, unwrap } from "../api/client";
import { TenantSubscription } from "../billing/TenantSubscription";
import { QueryState } from "../components/QueryState";
import { TenantUsers } from "./UsersPage";

export function Component() {
  const { t } = useTranslation("admin");
  const { tenantId } = useParams() as { tenantId: string };
  const BackArrow = useDirection().dir === "rtl" ? IconArrowRight : IconArrowLeft;
  const tenant = useQuery({
    queryKey: ["tenants", "one", tenantId],
    queryFn: () => unwrap(api.GET("/api/v1/tenants/{tenant_id}", { params: { path: { tenant_id: tenantId } } })),
  });

  return (
    <>
      <Group mb="xs">
        <Anchor component={Link} to="/console/tenants" size="sm">
          <Group gap={4} wrap="nowrap">
            <BackArrow size={14} />
            {t("tenantUsers.back")}
          </Group>
        </Anchor>
      </Group>
      <QueryState query={tenant}>
        {(found) => (
          <Stack gap="xl">
            <TenantUsers
              tenantId={found.id}
              title={t("tenantUsers.title", { name: found.name })}
              intro={t("tenantUsers.intro", { name: found.name })}
            />
            <TenantSubscription tenantId={found.id} />
          </Stack>
        )}
      </QueryState>
    </>
  );
}
