import type { ReactNode } from 'react';
import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { errorMessage } from '../api/errors.ts';

/**
 * Loading, error and empty states for a list query; renders `children(data)` otherwise. Every
 * list of the dashboard goes through it so the three states look and read the same everywhere.
 */
export function QueryState<T>({
  query,
  isEmpty,
  empty,
  children,
  label,
}: {
  query: UseQueryResult<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  label: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) {
    return (
      <Center py="xl" aria-busy="true">
        <Loader size="sm" aria-label={`Loading ${label}`} />
      </Center>
    );
  }
  if (query.isError) {
    return (
      <Alert color="red" title={`Could not load ${label}`} role="alert">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{errorMessage(query.error)}</Text>
          <Button size="xs" variant="light" onClick={() => void query.refetch()}>
            Retry
          </Button>
        </Stack>
      </Alert>
    );
  }
  if (isEmpty?.(query.data)) {
    return (
      <Text c="dimmed" py="lg" ta="center" data-testid="empty-state">
        {empty ?? `No ${label} yet.`}
      </Text>
    );
  }
  return <>{children(query.data)}</>;
}
