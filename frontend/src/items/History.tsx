/**
 * The item's state history, oldest first: what it moved from and to, when, by whom and why.
 * Each change names its actor (the API sends `actor_name`); "you" for the reader's own.
 */
import { Text, Timeline, Title, Stack } from "@mantine/core";
import { IconArrowRight, IconPlus } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { useMe } from "../auth/session";
import { useStateLabel } from "../components/Badges";
import { QueryState } from "../components/QueryState";
import { formatDateTime } from "../lib/format";
import { useTransitions } from "./itemQueries";
import { USER_TEXT } from "./userText";

type Transition = Schemas["TransitionOut"];

export function History({ itemId, zone }: { itemId: string; zone: string }) {
  const { t } = useTranslation("items");
  const transitions = useTransitions(itemId);
  const actorName = useActorNames();
  return (
    <Stack gap="sm" component="section" aria-labelledby="history-title">
      <Title order={3} size="h5" id="history-title">
        {t("history.title")}
      </Title>
      <QueryState query={transitions} empty={(page) => page.items.length === 0} emptyText={t("history.empty")}>
        {(page) => (
          <Timeline active={page.items.length - 1} bulletSize={22} lineWidth={2}>
            {page.items.map((transition) => (
              <Timeline.Item
                key={transition.id}
                bullet={transition.from_state ? <IconArrowRight size={12} /> : <IconPlus size={12} />}
                title={<Step transition={transition} />}
                data-testid="transition"
              >
                <Text size="xs" c="dimmed">
                  {t("history.by", { who: actorName(transition) })}
                </Text>
                <When at={transition.occurred_at} zone={zone} />
                {transition.reason && (
                  <Text size="sm" mt={4} style={USER_TEXT}>
                    <bdi>{transition.reason}</bdi>
                  </Text>
                )}
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </QueryState>
    </Stack>
  );
}

function Step({ transition }: { transition: Transition }) {
  const { t } = useTranslation("items");
  const stateLabel = useStateLabel();
  const to = stateLabel(transition.to_state);
  return (
    <Text size="sm" fw={600}>
      {transition.from_state
        ? t("history.moved", { from: stateLabel(transition.from_state), to })
        : `${t("history.created")} · ${to}`}
    </Text>
  );
}

function When({ at, zone }: { at: string; zone: string }) {
  const { i18n } = useTranslation();
  return (
    <Text size="xs" c="dimmed" component="time" dateTime={at}>
      {formatDateTime(at, i18n.language, zone)}
    </Text>
  );
}

function useActorNames(): (transition: Transition) => string {
  const { t } = useTranslation("items");
  const me = useMe();
  return (transition) => {
    if (transition.actor_id && transition.actor_id === me.id) return t("history.actor.you");
    if (transition.actor_name) return transition.actor_name;
    return t(`history.actor.${transition.actor_kind}`, { defaultValue: t("history.actor.account") });
  };
}
