/** English / العربية, per person: remembered on this device and, when signed in, on the account. */
import { SegmentedControl } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../api/client";
import { useSession } from "../auth/session";
import { changeLanguage, isLanguage, type Language } from "../i18n";

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const { signedIn } = useSession();
  const queryClient = useQueryClient();

  async function choose(value: string) {
    if (!isLanguage(value)) return;
    await changeLanguage(value);
    if (signedIn) {
      await api.PATCH("/api/v1/me", { body: { locale: value } });
      await queryClient.invalidateQueries({ queryKey: ["me"] });
    }
  }

  return (
    <SegmentedControl
      size="xs"
      aria-label={t("language.label")}
      value={i18n.language as Language}
      onChange={(value) => void choose(value)}
      data={[
        { value: "en", label: t("language.en") },
        { value: "ar", label: t("language.ar") },
      ]}
    />
  );
}
