import type { ReactNode } from 'react';
import { Group, Title } from '@mantine/core';

/** The title row of a screen with its actions on the right (wrapping on a phone). */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Group justify="space-between" mb="md" wrap="wrap" gap="sm">
      <Title order={1} size="h2">
        {title}
      </Title>
      <Group gap="xs">{children}</Group>
    </Group>
  );
}
