/**
 * One record's fields, one input each, in the schema's order. Each field shows the check's problem
 * once it has been left (or a save was tried), and the server's problem from a refused save beside
 * it; phone numbers, IBANs and identifiers are judged by the server only.
 */
import { SimpleGrid, TextInput } from "@mantine/core";
import type { KeyboardEvent, RefObject } from "react";
import { useTranslation } from "react-i18next";
import { NS } from "./i18n";
import { labelOf } from "./records";
import { type FieldDefinition, type Problem, SERVER_CHECKED } from "./validation";

interface RecordFormProps {
  fields: FieldDefinition[];
  values: Record<string, string>;
  problems: Record<string, Problem>;
  serverProblems: Record<string, string>;
  shown: ReadonlySet<string>;
  inputs: RefObject<(HTMLInputElement | null)[]>;
  onChange: (name: string, value: string) => void;
  onLeave: (name: string) => void;
  onKeyDown: (event: KeyboardEvent<HTMLInputElement>, index: number) => void;
  disabled: boolean;
  readOnly?: boolean; // shown, not changed: still walked with the keyboard to the next record
}

export function RecordForm({ fields, values, problems, serverProblems, shown, inputs, onChange, onLeave, onKeyDown, disabled, readOnly = false }: RecordFormProps) {
  const { t } = useTranslation(NS);
  const hint = (field: FieldDefinition) => {
    if (field.type === "choice") return (field.choices ?? []).join(" · ");
    if (SERVER_CHECKED.has(field.type)) return `${t(`types.${field.type}`)} · ${t("hint.server")}`;
    if (field.type in { date: 1, boolean: 1, integer: 1, decimal: 1 }) return t(`hint.${field.type}`);
    return field.help || undefined;
  };
  const problemText = (field: FieldDefinition) => {
    const local = shown.has(field.name) ? problems[field.name] : undefined;
    if (local) return t(`problem.${local.code}`, { ...local });
    return serverProblems[field.name];
  };
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" role="group" aria-label={t("keying.form")}>
      {fields.map((field, index) => {
        const problem = problemText(field);
        return (
          <TextInput
            key={field.name}
            ref={(element) => {
              inputs.current[index] = element;
            }}
            label={labelOf(field)}
            description={hint(field)}
            withAsterisk={field.required}
            value={values[field.name] ?? ""}
            onChange={(event) => onChange(field.name, event.currentTarget.value)}
            onBlur={() => onLeave(field.name)}
            onKeyDown={(event) => onKeyDown(event, index)}
            error={problem}
            disabled={disabled}
            readOnly={readOnly}
            dir="auto"
            autoComplete="off"
            spellCheck={false}
            data-field={field.name}
            data-invalid={problem ? "true" : undefined}
          />
        );
      })}
    </SimpleGrid>
  );
}
