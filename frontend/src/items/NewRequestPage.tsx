/**
 * Ask for work: choose a service type, then fill in the form its `fields` describe, with a title
 * and a priority. The same checks the server makes run here first (requestForm.ts); whatever the
 * server still refuses is shown on the field it names, or above the form.
 */
import {
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Switch,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertCircle, IconSend } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { api, unwrap } from "../api/client";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { PRIORITIES } from "./listFilters";
import {
  buildPayload,
  checkRequest,
  type FieldValue,
  type FormField,
  type FormValues,
  initialValues,
  parseFields,
  type Problem,
  sortServerProblems,
  TITLE_MAX_LENGTH,
} from "./requestForm";
import { choiceLabel, fieldLabel, type ServiceType, serviceTypeName, useServiceTypes } from "./serviceTypes";

type Priority = (typeof PRIORITIES)[number];

export function Component() {
  const { t } = useTranslation("items");
  const serviceTypes = useServiceTypes();
  return (
    <Stack gap="md" maw={760}>
      <PageHeader title={t("newRequest.title")} />
      <QueryState query={serviceTypes}>
        {(types) =>
          types.length === 0 ? (
            <Alert color="yellow" icon={<IconAlertCircle size={18} />}>
              {t("newRequest.noServices")}
            </Alert>
          ) : (
            <RequestForm serviceTypes={types} />
          )
        }
      </QueryState>
    </Stack>
  );
}

function RequestForm({ serviceTypes }: { serviceTypes: ServiceType[] }) {
  const { t } = useTranslation("items");
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  // With one service on offer there is nothing to choose.
  const [serviceCode, setServiceCode] = useState<string | null>(serviceTypes.length === 1 ? serviceTypes[0].code : null);
  const service = serviceTypes.find((type) => type.code === serviceCode);
  const fields = service ? parseFields(service.fields) : [];
  const [title, setTitle] = useState("");
  const [priority, setPriority] = useState<Priority>("normal");
  const [values, setValues] = useState<FormValues>(() => initialValues(fields));
  // Problems show once the person has tried to send, then follow their corrections live.
  const [attempted, setAttempted] = useState(false);
  const [serverProblems, setServerProblems] = useState<{ byField: Record<string, string>; general: string[] }>({
    byField: {},
    general: [],
  });

  const problems = attempted ? checkRequest(fields, values, title) : {};
  const say = (problem: Problem) => t(`validation.${problem.key}`, problem.values);
  const errorOf = (name: string) => (problems[name] ? say(problems[name]) : serverProblems.byField[name]);

  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/work-items", {
          body: {
            service_type: serviceCode ?? "",
            title: title.trim(),
            priority,
            payload: buildPayload(fields, values),
            submit: true,
          },
        }),
      ),
    onSuccess: (item) => {
      void queryClient.invalidateQueries({ queryKey: ["work-items"] });
      notifications.show({ color: "teal", message: t("newRequest.created") });
      void navigate(`/portal/items/${item.id}`);
    },
    onError: (error) => {
      setServerProblems(sortServerProblems(error, fields.map((field) => field.name)));
      focusFirstProblem();
    },
  });

  function focusFirstProblem() {
    // After React has drawn the messages, so the field is marked invalid.
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  function chooseService(code: string | null) {
    setServiceCode(code);
    const chosen = serviceTypes.find((type) => type.code === code);
    setValues(initialValues(chosen ? parseFields(chosen.fields) : []));
    setServerProblems({ byField: {}, general: [] });
  }

  function setValue(name: string, value: FieldValue) {
    setValues((current) => ({ ...current, [name]: value }));
    setServerProblems((current) => ({ ...current, byField: { ...current.byField, [name]: "" } }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    if (!service || Object.keys(checkRequest(fields, values, title)).length > 0) {
      focusFirstProblem();
      return;
    }
    setServerProblems({ byField: {}, general: [] });
    create.mutate();
  }

  const hasProblems = Object.keys(problems).length > 0 || Object.values(serverProblems.byField).some(Boolean);

  return (
    <Paper withBorder p="md" component="form" ref={formRef} onSubmit={submit} noValidate>
      <Stack gap="md">
        {(serverProblems.general.length > 0 || (attempted && hasProblems)) && (
          <Alert color="red" icon={<IconAlertCircle size={18} />} title={t("newRequest.failed")} role="alert">
            {serverProblems.general.length > 0 ? serverProblems.general.join(" · ") : t("newRequest.fixBelow")}
          </Alert>
        )}
        <Select
          label={t("newRequest.service")}
          placeholder={t("newRequest.servicePlaceholder")}
          data={serviceTypes.map((type) => ({ value: type.code, label: serviceTypeName(t, type.code, type) }))}
          value={serviceCode}
          onChange={chooseService}
          error={attempted && !service ? say({ key: "required" }) : undefined}
          withAsterisk
          allowDeselect={false}
        />
        {service && (
          <>
            <TextInput
              label={t("newRequest.subject")}
              description={t("newRequest.subjectHelp")}
              value={title}
              onChange={(event) => {
                setTitle(event.currentTarget.value);
                setServerProblems((current) => ({ ...current, byField: { ...current.byField, title: "" } }));
              }}
              error={errorOf("title")}
              maxLength={TITLE_MAX_LENGTH}
              withAsterisk
            />
            <Select
              label={t("newRequest.priority")}
              data={PRIORITIES.map((value) => ({ value, label: t(`priority.${value}`, { ns: "common" }) }))}
              value={priority}
              onChange={(value) => value && setPriority(value as Priority)}
              allowDeselect={false}
              error={serverProblems.byField.priority}
            />
            {fields.length > 0 && (
              <Title order={3} size="h4" mt="xs">
                {t("newRequest.formHeading")}
              </Title>
            )}
            {fields.map((field) => (
              <FieldInput
                key={`${service.code}.${field.name}`}
                service={service.code}
                field={field}
                value={values[field.name]}
                error={errorOf(field.name)}
                onChange={(value) => setValue(field.name, value)}
              />
            ))}
          </>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" component={Link} to="/portal/items">
            {t("newRequest.cancel")}
          </Button>
          <Button type="submit" loading={create.isPending} leftSection={<IconSend size={18} />}>
            {t("newRequest.submit")}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

interface FieldInputProps {
  service: string;
  field: FormField;
  value: FieldValue | undefined;
  error: string | undefined;
  onChange: (value: FieldValue) => void;
}

/** One form field, drawn by its type. */
function FieldInput({ service, field, value, error, onChange }: FieldInputProps) {
  const { t } = useTranslation("items");
  const common = {
    label: fieldLabel(t, service, field),
    description: field.help,
    error: error || undefined,
    withAsterisk: field.required,
    name: field.name,
  };
  switch (field.type) {
    case "boolean":
      return (
        <Switch
          label={common.label}
          description={common.description}
          error={common.error}
          name={field.name}
          checked={value === true}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
      );
    case "integer":
    case "number":
      return (
        <NumberInput
          {...common}
          value={typeof value === "number" || typeof value === "string" ? value : ""}
          onChange={(next) => onChange(typeof next === "number" ? next : String(next))}
          min={field.min}
          max={field.max}
          allowDecimal={field.type === "number"}
          clampBehavior="none"
        />
      );
    case "choice":
      return (
        <Select
          {...common}
          placeholder={t("newRequest.choose")}
          data={(field.choices ?? []).map((choice) => ({ value: choice, label: choiceLabel(t, service, field.name, choice) }))}
          value={typeof value === "string" && value ? value : null}
          onChange={(choice) => onChange(choice ?? "")}
          clearable={!field.required}
        />
      );
    case "text":
      return (
        <Textarea
          {...common}
          value={String(value ?? "")}
          onChange={(event) => onChange(event.currentTarget.value)}
          autosize
          minRows={3}
          maxRows={12}
        />
      );
    default:
      return (
        <TextInput
          {...common}
          type={field.type === "email" ? "email" : field.type === "date" ? "date" : "text"}
          value={String(value ?? "")}
          onChange={(event) => onChange(event.currentTarget.value)}
        />
      );
  }
}
