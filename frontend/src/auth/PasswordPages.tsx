/**
 * The pages a person reaches without a session: asking for a password-reset link, and the two
 * pages an emailed link opens (accepting an invitation, choosing a new password). The token rides
 * in the link's fragment (`#token=...`), which the browser never sends to the server.
 */
import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { type FormEvent, type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate } from "react-router";
import { api, ApiError, unwrap } from "../api/client";
import { LanguageSwitch } from "../layout/LanguageSwitch";
import { retryAfter } from "./signInError";
import { useSession } from "./session";

function Card({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={400} maw="100%" component="main">
        <Stack>
          <Title order={1} size="h2">
            {title}
          </Title>
          {children}
          <Anchor component={Link} to="/sign-in" size="sm" ta="center">
            {t("session.backToSignIn")}
          </Anchor>
          <LanguageSwitch />
        </Stack>
      </Paper>
    </Center>
  );
}

function problem(error: unknown, fallback: string): string {
  return error instanceof ApiError || error instanceof Error ? error.message : fallback;
}

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.POST("/api/v1/auth/password-reset", { body: { email: email.trim() } }));
      setSentTo(email.trim());
    } catch (caught) {
      const seconds = retryAfter(caught);
      setError(seconds !== null ? t("session.tooManyRequests", { seconds }) : problem(caught, t("common.error")));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t("session.forgotTitle")}>
      {sentTo ? (
        <Alert color="green" role="status">
          {t("session.linkSent", { email: sentTo })}
        </Alert>
      ) : (
        <form onSubmit={(event) => void submit(event)}>
          <Stack>
            <Text c="dimmed">{t("session.forgotHelp")}</Text>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <TextInput
              label={t("session.email")}
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
            />
            <Button type="submit" loading={busy}>
              {t("session.sendLink")}
            </Button>
          </Stack>
        </form>
      )}
    </Card>
  );
}

type SetPassword = (token: string, password: string) => Promise<{ email: string }>;

/** Choose a password with the link's token, then sign in with it and go home. */
function SetPasswordPage({ title, help, submitLabel, save }: {
  title: string;
  help?: string;
  submitLabel: string;
  save: SetPassword;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const { signIn } = useSession();
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!token) return;
    if (password !== repeat) {
      setError(t("session.mismatch"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { email } = await save(token, password);
      await signIn(email, password);
      navigate("/", { replace: true });
    } catch (caught) {
      setError(problem(caught, t("common.error")));
      setBusy(false);
    }
  }

  return (
    <Card title={title}>
      {!token ? (
        <Alert color="red" role="alert">
          {t("session.noToken")}
        </Alert>
      ) : (
        <form onSubmit={(event) => void submit(event)}>
          <Stack>
            {help && <Text c="dimmed">{help}</Text>}
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <PasswordInput
              label={t("session.newPassword")}
              description={t("session.passwordHint")}
              autoComplete="new-password"
              required
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
            <PasswordInput
              label={t("session.repeatPassword")}
              autoComplete="new-password"
              required
              value={repeat}
              onChange={(event) => setRepeat(event.currentTarget.value)}
            />
            <Button type="submit" loading={busy}>
              {submitLabel}
            </Button>
          </Stack>
        </form>
      )}
    </Card>
  );
}

export function AcceptInvitationPage() {
  const { t } = useTranslation();
  return (
    <SetPasswordPage
      title={t("session.acceptTitle")}
      help={t("session.acceptHelp")}
      submitLabel={t("session.acceptSubmit")}
      save={(token, password) =>
        unwrap(api.POST("/api/v1/auth/invitations/accept", { body: { token, password } })) as Promise<{
          email: string;
        }>
      }
    />
  );
}

export function ResetPasswordPage() {
  const { t } = useTranslation();
  return (
    <SetPasswordPage
      title={t("session.resetTitle")}
      submitLabel={t("session.resetSubmit")}
      save={(token, password) =>
        unwrap(api.POST("/api/v1/auth/password-reset/confirm", { body: { token, password } })) as Promise<{
          email: string;
        }>
      }
    />
  );
}
