/**
 * The tenant's batches, newest first: status and import progress (watched while a file imports),
 * with the form to send a new file above. A batch opens its records and their problems.
 */
import "./i18n";
import { Anchor, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Paging } from "../admin/Paging";
import { usePaging } from "../admin/usePaging";
import { QueryState } from "../components/QueryState";
import { formatDateTime } from "../lib/format";
import { BatchStatusBadge } from "./Badges";
import { BatchProgress } from "./BatchProgress";
import { NS } from "./i18n";
import { type Batch, useBatches } from "./queries";
import { UploadForm } from "./UploadForm";

const PAGE_SIZE = 20;

export function Component() {
  const { t } = useTranslation(NS);
  const paging = usePaging(PAGE_SIZE);
  const batches = useBatches(paging.limit, paging.offset);
  return (
    <Stack gap="lg">
      <UploadForm />
      <Stack gap="sm">
        <Title order={3}>{t("batches.title")}</Title>
        <QueryState query={batches} empty={(page) => page.total === 0} emptyText={t("batches.empty")}>
          {(page) => (
            <>
              <BatchTable batches={page.items} />
              <Paging total={page.total} paging={paging} />
            </>
          )}
        </QueryState>
      </Stack>
    </Stack>
  );
}

function BatchTable({ batches }: { batches: Batch[] }) {
  const { t, i18n } = useTranslation(NS);
  return (
    <Table.ScrollContainer minWidth={760} type="native">
      <Table striped highlightOnHover verticalSpacing="sm" data-testid="batch-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("batches.file")}</Table.Th>
            <Table.Th>{t("batches.schema")}</Table.Th>
            <Table.Th>{t("batches.status")}</Table.Th>
            <Table.Th>{t("batches.progress")}</Table.Th>
            <Table.Th>{t("batches.sent")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {batches.map((batch) => (
            <Table.Tr key={batch.id} data-testid="batch-row" data-filename={batch.filename}>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/portal/data-entry/batches/${batch.id}`}
                  size="sm"
                  fw={500}
                  aria-label={t("batches.open", { filename: batch.filename })}
                >
                  <bdi>{batch.filename}</bdi>
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm" dir="ltr" ta="start">
                  {batch.schema_code}
                </Text>
              </Table.Td>
              <Table.Td>
                <BatchStatusBadge status={batch.status} />
              </Table.Td>
              <Table.Td>
                <BatchProgress batch={batch} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(batch.created_at, i18n.language)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
