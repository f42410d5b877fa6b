/** The ticket's head in the workspace: subject, reference, customer, who is on copy, priority and tags (both editable). */
import { Badge, Group, Paper, Select, SimpleGrid, Stack, TagsInput, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconStarFilled } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, forTenant, type Schemas, unwrap } from "../api/client";
import { ErrorAlert } from "../components/QueryState";
import { itemKey, type WorkItem } from "../items/itemQueries";
import { USER_TEXT } from "../items/userText";
import { formatNumber } from "../lib/format";
import { NS } from "./i18n";
import { supportKey } from "./queries";
import { cleanTags, type Ticket } from "./thread";

const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
const MAX_TAGS = 20;

export function TicketFacts({ ticket, item }: { ticket: Ticket; item: WorkItem }) {
  const { t, i18n } = useTranslation(NS);
  const { t: tc } = useTranslation();
  const queryClient = useQueryClient();
  const [tags, setTags] = useState<string[]>(ticket.tags);
  const update = useMutation({
    mutationFn: (body: Schemas["TicketUpdate"]) =>
      unwrap(
        api.PATCH("/api/v1/support/tickets/{ticket_id}", {
          params: { path: { ticket_id: ticket.id } },
          body,
          ...forTenant(ticket.tenant_id),
        }),
      ),
    onSuccess: (saved, body) => {
      setTags(saved.tags);
      queryClient.setQueryData([...supportKey(ticket.tenant_id), "ticket-of", item.id], saved);
      void queryClient.invalidateQueries({ queryKey: ["support"] });
      if (body.priority) void queryClient.invalidateQueries({ queryKey: itemKey(item.id) });
      notifications.show({ color: "teal", message: body.tags ? t("workspace.tagsSaved") : t("workspace.prioritySaved") });
    },
  });

  function changeTags(next: string[]) {
    const cleaned = cleanTags(next).slice(0, MAX_TAGS);
    setTags(cleaned);
    if (cleaned.join("\n") !== ticket.tags.join("\n")) update.mutate({ tags: cleaned });
  }

  const customer = ticket.customer.name ? `${ticket.customer.name} <${ticket.customer.email}>` : ticket.customer.email;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="ticket-subject">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
          <Title order={3} size="h4" id="ticket-subject" style={USER_TEXT}>
            <bdi>{ticket.subject}</bdi>
          </Title>
          <Badge variant="outline" color="gray" size="lg" dir="ltr" data-testid="ticket-reference">
            {ticket.reference}
          </Badge>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" component="dl" m={0}>
          <div>
            <Text component="dt" size="xs" c="dimmed">
              {t("workspace.customer")}
            </Text>
            <Text component="dd" size="sm" m={0} data-testid="ticket-customer" style={USER_TEXT}>
              <bdi>{customer}</bdi>
            </Text>
          </div>
          <div>
            <Text component="dt" size="xs" c="dimmed">
              {t("workspace.onCopy")}
            </Text>
            <Text component="dd" size="sm" m={0} style={USER_TEXT}>
              {ticket.cc.length ? <bdi>{ticket.cc.join(", ")}</bdi> : t("workspace.nobodyOnCopy")}
            </Text>
          </div>
          {ticket.csat && (
            <div>
              <Text component="dt" size="xs" c="dimmed">
                {t("workspace.rating")}
              </Text>
              <Group component="dd" gap={4} m={0}>
                <IconStarFilled size={14} color="var(--mantine-color-yellow-6)" aria-hidden />
                <Text size="sm">
                  {t("workspace.ratingValue", {
                    rating: formatNumber(ticket.csat.rating, i18n.language),
                    max: formatNumber(5, i18n.language),
                  })}
                </Text>
              </Group>
            </div>
          )}
        </SimpleGrid>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label={t("workspace.priority")}
            data={PRIORITIES.map((value) => ({ value, label: tc(`priority.${value}`) }))}
            value={ticket.priority}
            onChange={(value) => value && value !== ticket.priority && update.mutate({ priority: value as (typeof PRIORITIES)[number] })}
            allowDeselect={false}
            w={160}
          />
          <TagsInput
            label={t("workspace.tags")}
            placeholder={t("workspace.tagsPlaceholder")}
            value={tags}
            onChange={changeTags}
            maxTags={MAX_TAGS}
            clearable
            style={{ flex: 1, minWidth: 220 }}
          />
        </Group>
        {update.error && <ErrorAlert error={update.error} />}
      </Stack>
    </Paper>
  );
}
