/**
 * The buttons for what the viewer may do to the item now (itemActions.ts decides which), each
 * with a dialog where the move needs a confirmation or words the other side will read.
 */
import { Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import {
  IconArrowBackUp,
  IconCheck,
  IconCircleCheck,
  IconMessageQuestion,
  IconPlayerPlay,
  IconRefresh,
  IconSend,
  IconShare,
  IconUserCheck,
  IconX,
  IconArrowForward,
  IconBan,
} from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { type ComponentType, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { useMe } from "../auth/session";
import { useStateLabel } from "../components/Badges";
import { type ActionId, availableActions, describeRefusal, TRANSITION_TARGETS } from "./itemActions";
import { useFailureNotice, useItemChanged, type WorkItem } from "./itemQueries";
import { LIMITS } from "../lib/limits";

type Words = "none" | "optional" | "required" | "lines";

interface ActionLook {
  icon: ComponentType<{ size?: number }>;
  color?: string;
  /** Whether the move asks first, and for what words: none, a reason, or reasons one per line. */
  dialog?: { title: string; body?: string; words: Words; wordsLabel?: string; danger?: boolean };
}

const LOOKS: Record<ActionId, ActionLook> = {
  submit: { icon: IconSend },
  accept: { icon: IconCircleCheck, color: "teal", dialog: { title: "dialog.acceptTitle", body: "dialog.acceptBody", words: "none" } },
  sendBack: {
    icon: IconArrowBackUp,
    color: "orange",
    dialog: { title: "dialog.sendBackTitle", words: "lines", wordsLabel: "dialog.sendBackLabel" },
  },
  ask: {
    icon: IconMessageQuestion,
    color: "yellow",
    dialog: { title: "dialog.askTitle", body: "dialog.askBody", words: "required", wordsLabel: "dialog.askLabel" },
  },
  handToQa: { icon: IconUserCheck, color: "grape" },
  done: { icon: IconCheck, color: "teal", dialog: { title: "dialog.doneTitle", body: "dialog.doneBody", words: "none" } },
  resume: { icon: IconPlayerPlay },
  reopen: {
    icon: IconRefresh,
    dialog: { title: "dialog.reopenTitle", body: "dialog.reopenBody", words: "optional" },
  },
  share: { icon: IconShare },
  release: {
    icon: IconArrowForward,
    color: "gray",
    dialog: { title: "dialog.releaseTitle", body: "dialog.releaseBody", words: "none" },
  },
  decline: {
    icon: IconBan,
    color: "red",
    dialog: { title: "dialog.declineTitle", words: "required", wordsLabel: "dialog.declineLabel", danger: true },
  },
  cancel: {
    icon: IconX,
    color: "red",
    dialog: { title: "dialog.cancelTitle", body: "dialog.cancelBody", words: "optional", danger: true },
  },
};

export function ItemActions({ item }: { item: WorkItem }) {
  const { t } = useTranslation("items");
  const me = useMe();
  const [open, setOpen] = useState<ActionId | null>(null);
  const run = useRunAction(item, () => setOpen(null));
  const actions = availableActions(item, me);
  if (actions.length === 0) return null;

  return (
    <>
      <Group gap="xs" role="toolbar" aria-label={t("actions.label")}>
        {actions.map((action, index) => {
          const look = LOOKS[action];
          return (
            <Button
              key={action}
              size="sm"
              color={look.color}
              // The first action is the one most likely wanted; the rest stay quieter, and ending the work never shouts.
              variant={look.dialog?.danger ? "outline" : index === 0 ? "filled" : "light"}
              leftSection={<look.icon size={16} />}
              loading={run.isPending && run.variables?.action === action}
              disabled={run.isPending}
              onClick={() => (look.dialog ? setOpen(action) : run.mutate({ action, words: "" }))}
              data-action={action}
            >
              {t(`actions.${action}`)}
            </Button>
          );
        })}
      </Group>
      {open && (
        <ActionDialog
          action={open}
          pending={run.isPending}
          onClose={() => setOpen(null)}
          onConfirm={(words) => run.mutate({ action: open, words })}
        />
      )}
    </>
  );
}

interface ActionDialogProps {
  action: ActionId;
  pending: boolean;
  onClose: () => void;
  onConfirm: (words: string) => void;
}

function ActionDialog({ action, pending, onClose, onConfirm }: ActionDialogProps) {
  const { t } = useTranslation("items");
  const [words, setWords] = useState("");
  const [tried, setTried] = useState(false);
  const dialog = LOOKS[action].dialog;
  if (!dialog) return null;
  const needed = dialog.words === "required" || dialog.words === "lines";
  const missing = needed && !words.trim();

  return (
    <Modal opened onClose={onClose} title={t(dialog.title)} centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setTried(true);
          if (!missing) onConfirm(words);
        }}
      >
        <Stack gap="md">
          {dialog.body && <Text size="sm">{t(dialog.body)}</Text>}
          {dialog.words !== "none" && (
            <Textarea
              label={t(dialog.wordsLabel ?? "dialog.reasonOptional")}
              value={words}
              onChange={(event) => setWords(event.currentTarget.value)}
              withAsterisk={needed}
              error={tried && missing ? t("dialog.required") : undefined}
              autosize
              minRows={3}
              maxLength={LIMITS.reason}
              data-autofocus
            />
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t("dialog.keep")}
            </Button>
            <Button
              type="submit"
              color={LOOKS[action].color}
              loading={pending}
              // With nothing to write, the confirming button takes the focus.
              {...(dialog.words === "none" ? { "data-autofocus": true } : {})}
            >
              {t(`actions.${action}`)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Make one action happen through its route, then tell the person what came of it. */
function useRunAction(item: WorkItem, onDone: () => void) {
  const { t } = useTranslation("items");
  const stateLabel = useStateLabel();
  const changed = useItemChanged(item.id);
  const failed = useFailureNotice();
  const path = { params: { path: { item_id: item.id } } };

  return useMutation({
    mutationFn: async ({ action, words }: { action: ActionId; words: string }): Promise<string> => {
      if (action === "share") {
        changed(await unwrap(api.PATCH("/api/v1/work-items/{item_id}", { ...path, body: { shared: true } })));
        return t("notify.shared");
      }
      if (action === "accept" || action === "sendBack") {
        const reasons = words.split("\n").map((line) => line.trim()).filter(Boolean);
        const verdict = action === "accept" ? "accept" : "reject";
        await unwrap(api.POST("/api/v1/work-items/{item_id}/review", { ...path, body: { verdict, reasons } }));
        changed();
        return action === "accept" ? t("notify.accepted") : t("notify.sentBack");
      }
      const to = TRANSITION_TARGETS[action];
      if (!to) throw new Error(`no route for ${action}`);
      const reason = words.trim() || null;
      const moved = await unwrap(api.POST("/api/v1/work-items/{item_id}/transitions", { ...path, body: { to, reason } }));
      changed(moved);
      // The server may send "done" to QA instead; say where the item really went.
      if (action === "done" && moved.state === "in_review") return t("notify.sampledForQa");
      return t("notify.moved", { state: stateLabel(moved.state) });
    },
    onSuccess: (message) => {
      onDone();
      notifications.show({ color: "teal", message });
    },
    onError: (error) => {
      // A refused move means the item has moved on: close the dialog and show the item as it is now.
      // Other problems leave the dialog open with the words typed, to try again.
      if (describeRefusal(error)) onDone();
      changed();
      failed(error);
    },
  });
}
