/** One action on a journal entry (post, approve, reverse, delete a draft), with the outcome said in a notification. */
import { Button } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../components/QueryState";
import { NS } from "./i18n";
import { type BooksScope, type Entry, type EntryAction, useEntryAction } from "./queries";

const COLORS: Record<EntryAction, string | undefined> = { post: "teal", approve: "teal", reverse: "grape", delete: "red" };

export function EntryActionButton({ scope, entry, action }: { scope: BooksScope; entry: Entry; action: EntryAction }) {
  const { t } = useTranslation(NS);
  const change = useEntryAction(scope);
  return (
    <Button
      size="compact-sm"
      variant="light"
      color={COLORS[action]}
      loading={change.isPending}
      onClick={() =>
        change.mutate(
          { entry, action },
          {
            onSuccess: (answer) => {
              // Above the approval threshold a posting waits for the second person instead.
              const waiting = action === "post" && answer && (answer as Entry).status === "pending_approval";
              notifications.show({
                color: waiting ? "orange" : "teal",
                message: waiting ? t("entries.waiting") : t(`entries.done.${action}`),
              });
            },
            onError: (error) => notifications.show({ color: "red", message: errorMessage(error, t(`entries.${action}`)) }),
          },
        )
      }
    >
      {t(`entries.${action}`)}
    </Button>
  );
}
