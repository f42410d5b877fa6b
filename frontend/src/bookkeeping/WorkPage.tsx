/**
 * The Bookkeeping desk's workspace for one work item (the desk's workspace route, bookkeeping/domain.py):
 * a document to book shown beside the journal-entry form (the data entry desk's viewer and the books'
 * own new-entry form, reused), or a period close's checklist. Booking posts the entry linked to the
 * document; the request is then done from its page. A generic request has nothing here.
 */
import "./i18n";
import "./documentsI18n";
import { Alert, Anchor, Badge, Center, Grid, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { IconArrowBackUp, IconCircleCheck, IconInfoCircle } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { forTenant } from "../api/client";
import { ErrorAlert } from "../components/QueryState";
import { DocumentPane } from "../dataentry/DocumentPane";
import { DEFAULT_BINDINGS } from "../dataentry/shortcuts";
import { useItem, type WorkItem } from "../items/itemQueries";
import { CloseChecklist } from "./CloseChecklist";
import { DOCS_NS } from "./documentsI18n";
import { type BookDocument, documentBytes, useBookDocument, useCloseOfItem, useDocumentOfItem } from "./documentsQueries";
import { EntryTable } from "./EntryTable";
import { NewEntry } from "./NewEntryPage";
import type { BooksScope } from "./queries";

export function Component() {
  const { t } = useTranslation(DOCS_NS);
  const { itemId = "" } = useParams();
  const item = useItem(itemId);
  if (item.error) return <ErrorAlert error={item.error} onRetry={() => void item.refetch()} />;
  if (!item.data) return <Loading label={t("work.loading")} />;
  return <Work item={item.data} />;
}

function Loading({ label }: { label: string }) {
  return (
    <Center py="xl" aria-busy="true">
      <Loader size="sm" aria-label={label} />
    </Center>
  );
}

function Work({ item }: { item: WorkItem }) {
  const { t } = useTranslation(DOCS_NS);
  const document = useDocumentOfItem(item.id, item.tenant_id);
  const close = useCloseOfItem(item.id, item.tenant_id);
  const error = document.error ?? close.error;
  let body;
  if (error) body = <ErrorAlert error={error} />;
  else if (document.isPending || close.isPending) body = <Loading label={t("work.loading")} />;
  else if (document.data) body = <Booking item={item} document={document.data} />;
  else if (close.data) body = <CloseChecklist close={close.data} tenantId={item.tenant_id} />;
  else {
    body = (
      <Alert color="gray" icon={<IconInfoCircle size={18} />} data-testid="books-work-generic">
        {t("work.generic")}
      </Alert>
    );
  }
  return (
    <Stack gap="md" data-testid="books-work">
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>
          <bdi>{item.title}</bdi>
        </Title>
        <Anchor component={Link} to={`/console/items/${item.id}`} data-testid="books-work-item">
          <Group gap={4}>
            <IconArrowBackUp size={16} />
            {t("work.backToItem")}
          </Group>
        </Anchor>
      </Group>
      {body}
    </Stack>
  );
}

function Booking({ item, document }: { item: WorkItem; document: BookDocument }) {
  const { t } = useTranslation(DOCS_NS);
  const scope: BooksScope = { inConsole: true, tenantId: item.tenant_id, headers: forTenant(item.tenant_id) };
  const book = useBookDocument(document, item.tenant_id);
  const canBook = document.status === "to_book" || document.status === "reversed";
  return (
    <Grid data-testid="books-booking" data-status={document.status}>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <DocumentPane
          document={{ id: document.id, content_type: document.content_type, filename: document.filename, page: 1, pages: document.pages }}
          tenantId={item.tenant_id}
          bindings={DEFAULT_BINDINGS}
          load={documentBytes}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Stack gap="sm">
          <Group gap="xs">
            <Badge variant="light">{t(`kind.${document.kind}`)}</Badge>
            <Badge variant="light" color={document.status === "booked" ? "teal" : document.status === "to_book" ? "blue" : "orange"}>
              {t(`status.${document.status}`)}
            </Badge>
          </Group>
          {document.note && (
            <Text size="sm">
              <Text span fw={600}>
                {t("work.note")}:
              </Text>{" "}
              <bdi>{document.note}</bdi>
            </Text>
          )}
          {document.status === "reversed" && <Alert color="red">{t("work.reversed")}</Alert>}
          {canBook ? (
            <NewEntry scope={scope} target={{ create: book, onSaved: () => undefined }} />
          ) : (
            <>
              <Alert
                color={document.status === "booked" ? "teal" : "orange"}
                icon={<IconCircleCheck size={18} />}
                data-testid="books-booked"
              >
                {document.status === "booked"
                  ? `${t("work.booked", { number: document.entry?.number ?? "" })}. ${t("work.bookedNote")}`
                  : t("work.waiting")}
              </Alert>
              {document.entry && <EntryTable entries={[document.entry]} scope={scope} />}
            </>
          )}
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
