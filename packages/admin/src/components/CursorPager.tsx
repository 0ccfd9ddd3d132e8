import { useEffect, useState } from 'react';
import { Button, Group } from '@mantine/core';

/** Cursor paging state: the cursors of the pages before this one, so "Previous" works too. */
export function useCursorPager(resetOn: unknown[]) {
  const [stack, setStack] = useState<string[]>([]);
  const key = JSON.stringify(resetOn);
  // A new filter starts again from the first page.
  useEffect(() => setStack([]), [key]);
  return {
    cursor: stack.at(-1),
    page: stack.length + 1,
    next: (cursor: string) => setStack((s) => [...s, cursor]),
    previous: () => setStack((s) => s.slice(0, -1)),
  };
}

/** Previous / Next buttons for a cursor page. */
export function CursorPager({
  pager,
  page,
}: {
  pager: ReturnType<typeof useCursorPager>;
  page: { cursor: string | null; has_more: boolean };
}) {
  return (
    <Group gap="xs">
      <Button variant="default" size="xs" disabled={pager.page === 1} onClick={pager.previous}>
        Previous
      </Button>
      <span aria-live="polite">Page {pager.page}</span>
      <Button
        variant="default"
        size="xs"
        disabled={!page.has_more || !page.cursor}
        onClick={() => page.cursor && pager.next(page.cursor)}
      >
        Next
      </Button>
    </Group>
  );
}
