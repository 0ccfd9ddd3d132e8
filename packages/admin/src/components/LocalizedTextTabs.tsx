import type { ReactNode } from 'react';
import { Stack, Tabs, TextInput, Textarea, type TabsProps } from '@mantine/core';
import type { GetInputProps, FormErrors } from '@mantine/form';

/** One tab per store language (`EN`, `DE`…), the first open; `children` renders a language's panel. */
export function LanguageTabs({
  languages,
  children,
  panelPadding,
  ...props
}: Omit<TabsProps, 'children'> & {
  languages: string[];
  children: (language: string) => ReactNode;
  panelPadding: 'xs' | 'sm';
}) {
  return (
    <Tabs defaultValue={languages[0]} {...props}>
      <Tabs.List>
        {languages.map((l) => (
          <Tabs.Tab key={l} value={l}>
            {l.toUpperCase()}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {languages.map((l) => (
        <Tabs.Panel key={l} value={l} pt={panelPadding}>
          {children(l)}
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}

/** The part of a form this edits: its values have `name` and `description`, each by language. */
interface LocalizedForm {
  getInputProps: GetInputProps<{ name: Record<string, string>; description: Record<string, string> }>;
  errors: FormErrors;
}

/**
 * A product's, service's or provider's localized name and description: one tab per store
 * language, bound to the form's `name.<lang>` and `description.<lang>` (Markdown).
 */
export function LocalizedTextTabs({
  form,
  languages,
  descriptionRows,
}: {
  form: LocalizedForm;
  languages: string[];
  descriptionRows: number;
}) {
  return (
    <LanguageTabs languages={languages} mt="md" panelPadding="sm">
      {(l) => (
        <Stack>
          <TextInput label={`Name (${l})`} {...form.getInputProps(`name.${l}`)} error={form.errors.name} />
          <Textarea
            label={`Description (${l}, Markdown)`}
            autosize
            minRows={descriptionRows}
            {...form.getInputProps(`description.${l}`)}
            error={form.errors.description}
          />
        </Stack>
      )}
    </LanguageTabs>
  );
}
