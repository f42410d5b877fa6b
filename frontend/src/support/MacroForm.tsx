/**
 * Add or change a macro: its name and text, with the placeholders listed (and insertable at the
 * caret) and checked as you type the way the server checks them.
 */
import { Button, Group, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { type FormEvent, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "../admin/FormAlert";
import { formProblems } from "../admin/problems";
import { LIMITS } from "../lib/limits";
import { NS } from "./i18n";
import { type Macro, PLACEHOLDERS, placeholderProblem } from "./macros";

export interface MacroDraft {
  name: string;
  body: string;
}

interface MacroFormProps {
  macro?: Macro;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (draft: MacroDraft) => void;
  onCancel: () => void;
}

export function MacroForm({ macro, submitLabel, pending, error, onSubmit, onCancel }: MacroFormProps) {
  const { t } = useTranslation(NS);
  const { t: tc } = useTranslation();
  const [name, setName] = useState(macro?.name ?? "");
  const [body, setBody] = useState(macro?.body ?? "");
  const [submitted, setSubmitted] = useState(false);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const problems = formProblems(error, ["name", "body"]);
  const problem = placeholderProblem(body);
  const braces = { open: "{{", close: "}}" };
  const bodyError =
    (submitted && !body.trim() && t("macros.required")) ||
    (problem?.kind === "braces" && t("macros.braces", braces)) ||
    (problem?.kind === "unknown" && t("macros.unknownPlaceholder", { names: problem.names.map((n) => `{${n}}`).join(", ") })) ||
    problems.fields.body;

  function insert(placeholder: string) {
    const field = bodyRef.current;
    const token = `{${placeholder}}`;
    const start = field?.selectionStart ?? body.length;
    const end = field?.selectionEnd ?? body.length;
    setBody(body.slice(0, start) + token + body.slice(end));
    requestAnimationFrame(() => {
      field?.focus();
      field?.setSelectionRange(start + token.length, start + token.length);
    });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (name.trim() && body.trim() && !problem) onSubmit({ name: name.trim(), body });
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormAlert error={error} problems={problems} />
        <TextInput
          label={t("macros.name")}
          withAsterisk
          maxLength={LIMITS.name}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={(submitted && !name.trim() && t("macros.required")) || problems.fields.name}
          data-autofocus
        />
        <Textarea
          ref={bodyRef}
          label={t("macros.body")}
          withAsterisk
          autosize
          minRows={5}
          maxRows={14}
          maxLength={LIMITS.body}
          value={body}
          onChange={(event) => setBody(event.currentTarget.value)}
          error={bodyError}
        />
        <Stack gap={6}>
          <Text size="xs" c="dimmed" data-testid="macro-placeholders">
            {t("macros.placeholders", braces)}
          </Text>
          <Group gap={6}>
            {PLACEHOLDERS.map((placeholder) => (
              <Button
                key={placeholder}
                size="compact-xs"
                variant="light"
                color="gray"
                dir="ltr"
                onClick={() => insert(placeholder)}
                aria-label={t("macros.insert", { placeholder: `{${placeholder}}` })}
              >
                {`{${placeholder}}`}
              </Button>
            ))}
          </Group>
        </Stack>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {tc("common.cancel")}
          </Button>
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
