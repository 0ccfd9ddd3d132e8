import {
  ActionIcon,
  Button,
  Card,
  Group,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { DatePickerInput, TimeInput } from '@mantine/dates';
import type { UseFormReturnType } from '@mantine/form';
import type { HoursValue, LinkFormValues } from './link-form.ts';

const DAY_LABEL: Record<string, string> = {
  monday: 'Monday',
  tuesday: 'Tuesday',
  wednesday: 'Wednesday',
  thursday: 'Thursday',
  friday: 'Friday',
  saturday: 'Saturday',
  sunday: 'Sunday',
};

// Any form whose values include the link's (the link editor adds the chosen service or provider).
type Form = UseFormReturnType<LinkFormValues & { other: string }>;

/** From–to time inputs of one day, with add and remove. */
function Hours({ form, path, label }: { form: Form; path: string; label: string }) {
  const hours = (path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], form.values) ??
    []) as HoursValue[];
  return (
    <Stack gap={4}>
      {hours.map((_, i) => (
        <Group key={i} gap={4} wrap="nowrap">
          <TimeInput aria-label={`${label} from ${i + 1}`} {...form.getInputProps(`${path}.${i}.from`)} />
          <Text size="sm" aria-hidden>
            –
          </Text>
          <TimeInput aria-label={`${label} to ${i + 1}`} {...form.getInputProps(`${path}.${i}.to`)} />
          {hours.length > 1 ? (
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={`Remove ${label} hours ${i + 1}`}
              onClick={() => form.removeListItem(path, i)}
            >
              ×
            </ActionIcon>
          ) : null}
        </Group>
      ))}
      <Button
        size="compact-xs"
        variant="subtle"
        w="fit-content"
        aria-label={`Add hours on ${label}`}
        onClick={() => form.insertListItem(path, { from: '13:00', to: '17:00' })}
      >
        + hours
      </Button>
    </Stack>
  );
}

/**
 * The working time of a provider for a service: a week grid (open or closed, one or more
 * intervals a day), closed calendar days, days closed every year, and days with other hours.
 * Times are local to the store; an end of 00:00 means midnight.
 */
export function WorkingTime({ form }: { form: Form }) {
  const year = new Date().getFullYear();
  return (
    <Stack>
      <Title order={4} size="h5">
        Week
      </Title>
      <Table.ScrollContainer minWidth={420} scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}>
        <Table data-testid="week-grid" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Day</Table.Th>
              <Table.Th>Open</Table.Th>
              <Table.Th>Hours</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {form.values.week.map((d, i) => (
              <Table.Tr key={d.day}>
                <Table.Td>{DAY_LABEL[d.day]}</Table.Td>
                <Table.Td>
                  <Switch
                    aria-label={`Open on ${DAY_LABEL[d.day]}`}
                    {...form.getInputProps(`week.${i}.open`, { type: 'checkbox' })}
                  />
                </Table.Td>
                <Table.Td>
                  {d.open ? (
                    <Hours form={form} path={`week.${i}.hours`} label={DAY_LABEL[d.day]!} />
                  ) : (
                    <Text size="sm" c="dimmed">
                      Closed
                    </Text>
                  )}
                  {form.errors[`week.${i}`] ? (
                    <Text size="xs" c="red" role="alert">
                      {form.errors[`week.${i}`]}
                    </Text>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <DatePickerInput
          type="multiple"
          label="Closed dates"
          description="Closed on these days"
          placeholder="Pick dates"
          clearable
          clearButtonProps={{ 'aria-label': 'Clear closed dates' }}
          valueFormat="YYYY-MM-DD"
          {...form.getInputProps('closed')}
        />
        <DatePickerInput
          type="multiple"
          label="Closed every year"
          description="Holidays: the year is ignored"
          placeholder="Pick days"
          clearable
          clearButtonProps={{ 'aria-label': 'Clear yearly closed days' }}
          valueFormat="MMM D"
          value={form.values.yearly.map((md) => `${year}-${md}`)}
          onChange={(days) =>
            form.setFieldValue(
              'yearly',
              days.map((d) => String(d).slice(5)),
            )
          }
          error={form.errors.yearly}
        />
      </SimpleGrid>
      <Card withBorder padding="sm">
        <Group justify="space-between" mb="xs">
          <Title order={4} size="h5">
            Special dates
          </Title>
          <Button
            size="compact-sm"
            variant="light"
            onClick={() =>
              form.insertListItem('special', { date: '', hours: [{ from: '10:00', to: '14:00' }] })
            }
          >
            Add special date
          </Button>
        </Group>
        {form.values.special.length === 0 ? (
          <Text size="sm" c="dimmed">
            No days with other hours.
          </Text>
        ) : null}
        <Stack>
          {form.values.special.map((s, i) => (
            <Group key={i} align="flex-start" wrap="wrap" data-testid={`special-${i}`}>
              <DatePickerInput
                label={`Special date ${i + 1}`}
                placeholder="Pick a date"
                valueFormat="YYYY-MM-DD"
                miw={160}
                {...form.getInputProps(`special.${i}.date`)}
              />
              <Hours form={form} path={`special.${i}.hours`} label={s.date || `special date ${i + 1}`} />
              <Button
                size="compact-xs"
                variant="subtle"
                color="red"
                mt={28}
                onClick={() => form.removeListItem('special', i)}
              >
                Remove date
              </Button>
            </Group>
          ))}
        </Stack>
      </Card>
    </Stack>
  );
}
