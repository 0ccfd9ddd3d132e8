import type { ReactNode } from 'react';
import { Table } from '@mantine/core';

/** A Mantine table from column headers and rows of cells, scrolling sideways on a phone. */
export function SimpleTable({
  head,
  rows,
  minWidth = 560,
  testId,
}: {
  head: string[];
  rows: { key: string; cells: ReactNode[] }[];
  minWidth?: number;
  testId?: string;
}) {
  return (
    <Table.ScrollContainer minWidth={minWidth} scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}>
      <Table striped data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {head.map((h) => (
              <Table.Th key={h}>{h}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key}>
              {r.cells.map((c, i) => (
                <Table.Td key={i}>{c}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
